/*
 * fuzz_hcl.c - libFuzzer target for Terraform configuration (TM_FUZZ_HCL): the HCL2 parser
 * (parse/hcl.c) and the module evaluation behind it (ingest/tf_config.c, ingest/terraform.c).
 *
 * The parser's promises are checked (a violation aborts, so the replay fails on it too):
 *   - 0 with no diagnostic, 1 with exactly one error and a tree, TM_ELIMIT/TM_EPARSE with exactly
 *     one diagnostic and no tree, or TM_ENOMEM;
 *   - every value at a line inside the text and a column from 1; every scalar NUL-terminated at its
 *     length; every "${" of an unquoted expression closed where tm_hcl_interp_end says.
 * Then the input is scanned in memory as a real module holds it: infra/main.tf beside a
 * variables.tf, a terraform.tfvars, a local module it may call (./modules/db) and a ServiceAccount
 * whose workload-identity annotations name the identities, so references, module calls,
 * jsonencode arguments and every resource handler see each mutation.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse/hcl.h"
#include "trustmap/scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SCAN_MAX (64u * 1024u)

static const char vars[] = "variable \"env\" { default = \"prod\" }\n"
			   "variable \"cidrs\" { default = [\"0.0.0.0/0\"] }\n"
			   "locals { name = \"shop-${var.env}\" }\n";
static const char tfvars[] = "env = \"staging\"\n";
static const char child[] = "variable \"id\" {}\n"
			    "resource \"aws_db_instance\" \"db\" {\n"
			    "  identifier = var.id\n  publicly_accessible = true\n"
			    "  vpc_security_group_ids = [aws_security_group.db.id]\n}\n"
			    "resource \"aws_security_group\" \"db\" {\n  name = \"db\"\n"
			    "  ingress {\n    from_port = 5432\n    to_port = 5432\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n"
			    "module \"loop\" { source = \"../../infra\" }\n";
static const char sa[] = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: api\n  namespace: shop\n"
			 "  annotations:\n"
			 "    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/shop-prod\n"
			 "    iam.gke.io/gcp-service-account: shop@acme.iam.gserviceaccount.com\n"
			 "    azure.workload.identity/client-id: 00000000-0000-0000-0000-000000000001\n";

static void check(bool ok)
{
	if (!ok)
		abort();
}

static void walk(const tm_value *v, uint32_t lines, unsigned depth)
{
	check(depth <= 2 * TM_HCL_MAX_DEPTH + 8);
	check(tm_value_line(v) >= 1 && tm_value_line(v) <= lines && tm_value_col(v) >= 1);
	if (tm_value_kind_of(v) == TM_VALUE_SCALAR) {
		size_t len = 0;
		const char *s = tm_scalar_str(v, &len);
		check(s != NULL && s[len] == '\0');
		if (!tm_scalar_quoted(v) && len >= 3 && s[0] == '$' && s[1] == '{')
			check(tm_hcl_interp_end(s, len, 0) <= len);
		return;
	}
	for (size_t i = 0; i < tm_value_len(v); i++) {
		if (tm_value_kind_of(v) == TM_VALUE_MAP) {
			check(tm_scalar_str(tm_map_key(v, i), NULL) != NULL);
			walk(tm_map_value(v, i), lines, depth + 1);
		} else {
			walk(tm_seq_at(v, i), lines, depth + 1);
		}
	}
}

static void parse(const char *text, size_t size)
{
	tm_diag_list d;
	tm_diag_list_init(&d);
	tm_file *f = NULL;
	int rc = tm_hcl_parse(&f, "infra/main.tf", text, size, NULL, &d);
	check(rc == 0 || rc == 1 || rc == TM_ELIMIT || rc == TM_EPARSE || rc == TM_ENOMEM);
	check(rc != 0 || (d.count == 0 && f));
	check(rc != 1 || (d.count == 1 && f && d.items[0].loc.line >= 1));
	check((rc != TM_ELIMIT && rc != TM_EPARSE) || (d.count == 1 && !f));
	uint32_t lines = 1;
	for (size_t i = 0; i < size; i++)
		lines += text[i] == '\n';
	if (f)
		walk(tm_file_doc(f, 0), lines, 0);
	tm_file_free(f);
	tm_diag_list_dispose(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	parse(text, size);
	if (size > SCAN_MAX)
		return 0;
	tm_mem_file files[] = {
		{"infra/main.tf", text, size},
		{"infra/variables.tf", vars, sizeof(vars) - 1},
		{"infra/terraform.tfvars", tfvars, sizeof(tfvars) - 1},
		{"modules/db/main.tf", child, sizeof(child) - 1},
		{"k8s/sa.yaml", sa, sizeof(sa) - 1},
	};
	tm_limits limits;
	tm_limits_default(&limits);
	tm_scan *s = NULL;
	tm_scan_run_mem(&s, files, sizeof(files) / sizeof(files[0]), &limits);
	const tm_model *m = s ? tm_scan_model(s) : NULL;
	size_t total = 0;
	for (size_t i = 0; m && i < tm_model_node_count(m); i++)
		total += strlen(tm_node_id(tm_model_node(m, i)));
	tm_scan_free(s);
	check(total != (size_t)-1);
	return 0;
}
