/* test_hcl.c - the HCL2 parser (parse/hcl.c): blocks under their labels, attributes, literals,
 * strings with escapes and templates, heredocs, lists, objects and every expression form kept as
 * "${source}"; comments; positions; one positioned diagnostic per syntax error with what parsed
 * before it kept; the limits; invalid UTF-8; every allocation failing in turn. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "counting_alloc.h"
#include "parse/hcl.h"
#include "util/util.h"

typedef struct {
	tm_file *f;
	tm_diag_list diags;
	int rc;
	const tm_value *root;
} parsed;

static void parse(parsed *p, const char *text)
{
	tm_diag_list_init(&p->diags);
	p->f = NULL;
	p->rc = tm_hcl_parse(&p->f, "infra/main.tf", text, strlen(text), NULL, &p->diags);
	p->root = p->f ? tm_file_doc(p->f, 0) : NULL;
}

static void done(parsed *p)
{
	tm_file_free(p->f);
	tm_diag_list_dispose(&p->diags);
}

static const char *str(const tm_value *v)
{
	return tm_scalar_str(v, NULL);
}

/* The value at a path of map keys ("resource", "aws_iam_role", "ci", "name"). */
static const tm_value *dig(const tm_value *v, const char *const *keys)
{
	for (; *keys; keys++)
		v = tm_map_get(v, *keys);
	return v;
}

#define DIG(v, ...) dig((v), (const char *const[]){__VA_ARGS__, NULL})

static void blocks_attributes_positions(void **state)
{
	(void)state;
	parsed p;
	parse(&p, "# a comment\n"
		  "resource \"aws_iam_role\" \"ci\" {\n"
		  "  name = \"deploy\"   // trailing\n"
		  "  max_session_duration = 3600\n"
		  "  ratio = 1.5e2\n"
		  "  enabled = true\n"
		  "  nothing = null\n"
		  "  /* block\n comment */\n"
		  "  tags = { team = \"infra\", \"cost-center\" : \"42\" }\n"
		  "  ingress {\n"
		  "    cidr_blocks = [\"0.0.0.0/0\", \"::/0\",]\n"
		  "  }\n"
		  "  ingress {}\n"
		  "}\n"
		  "locals { x = 1 }\n");
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.diags.count, 0);
	const tm_value *r = DIG(p.root, "resource", "aws_iam_role", "ci");
	assert_int_equal(tm_value_kind_of(r), TM_VALUE_MAP);
	assert_int_equal(tm_value_line(r), 2);
	assert_int_equal(tm_value_col(r), 1);
	const tm_value *name = tm_map_get(r, "name");
	assert_string_equal(str(name), "deploy");
	assert_true(tm_scalar_quoted(name));
	assert_int_equal(tm_value_line(name), 3);
	assert_int_equal(tm_value_col(name), 10);
	int64_t n;
	assert_int_equal(tm_scalar_int(tm_map_get(r, "max_session_duration"), &n), 0);
	assert_int_equal(n, 3600);
	assert_int_equal(tm_scalar_type_of(tm_map_get(r, "ratio")), TM_SCALAR_FLOAT);
	bool b;
	assert_int_equal(tm_scalar_bool(tm_map_get(r, "enabled"), &b), 0);
	assert_true(b);
	assert_int_equal(tm_scalar_type_of(tm_map_get(r, "nothing")), TM_SCALAR_NULL);
	assert_string_equal(str(DIG(r, "tags", "team")), "infra");
	assert_string_equal(str(DIG(r, "tags", "cost-center")), "42");
	/* repeated blocks are repeated keys, in order */
	size_t seen = 0;
	for (size_t i = 0; i < tm_value_len(r); i++)
		if (strcmp(str(tm_map_key(r, i)), "ingress") == 0)
			seen++;
	assert_int_equal(seen, 2);
	const tm_value *cidrs = DIG(r, "ingress", "cidr_blocks");
	assert_int_equal(tm_value_len(cidrs), 2);
	assert_string_equal(str(tm_seq_at(cidrs, 1)), "::/0");
	assert_int_equal(tm_value_line(tm_seq_at(cidrs, 0)), 12);
	assert_non_null(DIG(p.root, "locals", "x"));
	done(&p);
}

static void expressions_kept_as_source(void **state)
{
	(void)state;
	parsed p;
	parse(&p, "a = var.name\n"
		  "b = aws_iam_role.ci.arn\n"
		  "c = jsonencode({ Version = \"2012-10-17\", Statement = [{ Effect = \"Allow\" }] })\n"
		  "d = var.on ? \"x\" : \"y\"\n"
		  "e = [for s in var.list : upper(s) if s != \"\"]\n"
		  "f = { for k, v in var.m : k => v... }\n"
		  "g = aws_instance.web[*].id\n"
		  "h = local.list[0].name\n"
		  "i = -1\n"
		  "i2 = -var.x\n"
		  "j = (1 + 2) * 3\n"
		  "k = [\"a\", \"b\"][0]\n"
		  "l = provider::aws::arn_parse(\"x\")\n"
		  "m = !var.off\n"
		  "n = aws_instance.web.0.id\n"
		  "o = \"arn:${var.p}:role/${local.r}\"\n"
		  "p = \"$${literal} and %%{also}\"\n"
		  "q = \"%{ for x in var.l ~}${x}%{ endfor ~}\"\n"
		  "r = \"${file(\"${path.module}/p.json\")}\"\n"
		  "s = [\n  1,\n  2\n]\n");
	assert_int_equal(p.rc, 0);
	assert_string_equal(str(tm_map_get(p.root, "a")), "${var.name}");
	assert_false(tm_scalar_quoted(tm_map_get(p.root, "a")));
	assert_string_equal(str(tm_map_get(p.root, "b")), "${aws_iam_role.ci.arn}");
	assert_string_equal(str(tm_map_get(p.root, "c")),
			    "${jsonencode({ Version = \"2012-10-17\", Statement = [{ Effect = \"Allow\" }] })}");
	assert_string_equal(str(tm_map_get(p.root, "d")), "${var.on ? \"x\" : \"y\"}");
	assert_string_equal(str(tm_map_get(p.root, "e")), "${[for s in var.list : upper(s) if s != \"\"]}");
	assert_string_equal(str(tm_map_get(p.root, "f")), "${{ for k, v in var.m : k => v... }}");
	assert_string_equal(str(tm_map_get(p.root, "g")), "${aws_instance.web[*].id}");
	assert_string_equal(str(tm_map_get(p.root, "h")), "${local.list[0].name}");
	assert_string_equal(str(tm_map_get(p.root, "i")), "-1");
	assert_int_equal(tm_scalar_type_of(tm_map_get(p.root, "i")), TM_SCALAR_INT);
	assert_string_equal(str(tm_map_get(p.root, "i2")), "${-var.x}");
	assert_string_equal(str(tm_map_get(p.root, "j")), "${(1 + 2) * 3}");
	assert_string_equal(str(tm_map_get(p.root, "k")), "${[\"a\", \"b\"][0]}");
	assert_string_equal(str(tm_map_get(p.root, "l")), "${provider::aws::arn_parse(\"x\")}");
	assert_string_equal(str(tm_map_get(p.root, "m")), "${!var.off}");
	assert_string_equal(str(tm_map_get(p.root, "n")), "${aws_instance.web.0.id}");
	assert_string_equal(str(tm_map_get(p.root, "o")), "arn:${var.p}:role/${local.r}");
	assert_true(tm_scalar_quoted(tm_map_get(p.root, "o")));
	assert_string_equal(str(tm_map_get(p.root, "p")), "$${literal} and %%{also}");
	assert_string_equal(str(tm_map_get(p.root, "q")), "%{ for x in var.l ~}${x}%{ endfor ~}");
	assert_string_equal(str(tm_map_get(p.root, "r")), "${file(\"${path.module}/p.json\")}");
	assert_int_equal(tm_value_len(tm_map_get(p.root, "s")), 2);
	/* the argument of jsonencode parses on its own, positioned where it was */
	const char *c = str(tm_map_get(p.root, "c"));
	const char *arg = c + strlen("${jsonencode(");
	tm_value *v = tm_hcl_parse_expr(p.f, arg, strlen(arg) - 2, 3, 17, &p.diags);
	assert_non_null(v);
	assert_int_equal(tm_value_col(v), 17);
	assert_string_equal(str(tm_map_get(v, "Version")), "2012-10-17");
	assert_string_equal(str(tm_map_get(tm_seq_at(tm_map_get(v, "Statement"), 0), "Effect")), "Allow");
	assert_int_equal(tm_hcl_interp_end(c, strlen(c), 0), strlen(c));
	done(&p);
}

static void strings_and_heredocs(void **state)
{
	(void)state;
	parsed p;
	parse(&p, "a = \"tab\\there \\\"q\\\" \\u00e9 \\U0001F600\"\n"
		  "policy = <<EOF\n"
		  "{\"Statement\": []}\n"
		  "  EOF\n"
		  "b = <<-EOT\n"
		  "    one\n"
		  "      two ${var.x}\n"
		  "    EOT\n"
		  "c = \"}{ not a brace\"\n");
	assert_int_equal(p.rc, 0);
	assert_string_equal(str(tm_map_get(p.root, "a")), "tab\there \"q\" \xC3\xA9 \xF0\x9F\x98\x80");
	assert_string_equal(str(tm_map_get(p.root, "policy")), "{\"Statement\": []}\n");
	assert_int_equal(tm_value_line(tm_map_get(p.root, "policy")), 2);
	assert_string_equal(str(tm_map_get(p.root, "b")), "one\n  two ${var.x}\n");
	assert_string_equal(str(tm_map_get(p.root, "c")), "}{ not a brace");
	done(&p);
}

struct bad {
	const char *text;
	uint32_t line, col;
	int rc;
	const char *msg;
};

static void syntax_errors_are_positioned(void **state)
{
	(void)state;
	static const struct bad cases[] = {
		{"a = \"open\n", 1, 5, 1, "unterminated string"},
		{"a = 1\nb = <<EOF\nno end\n", 2, 5, 1, "unterminated heredoc"},
		{"resource \"x\" \"y\" {\n  a = 1\n", 1, 18, 1, "unterminated block"},
		{"a = [1, 2\n", 1, 5, 1, "unterminated list"},
		{"a = { b = 1\n", 1, 5, 1, "unterminated object"},
		{"a = \"${var.x\"\n", 1, 13, 1, "expected '}' to close"},
		{"a = 1 2\n", 1, 7, 1, "expected a newline"},
		{"= 1\n", 1, 1, 1, "expected an attribute or block name"},
		{"a = \n", 1, 5, 1, "expected an expression"},
		{"a = \"\\q\"\n", 1, 6, 1, "invalid escape"},
		{"block \"l\" x\n", 1, 12, 1, "expected '=' or a block's '{'"},
		{"a = f(1,\n", 1, 6, 1, "unterminated function call"},
		{"/* never closed", 1, 1, 1, "unterminated comment"},
		{"}\n", 1, 1, 1, "unexpected '}'"},
		{"a = b ? c\n", 1, 10, 1, "expected ':'"},
		{"a = 1\nb = \"\xC3\x28\"\n", 2, 6, TM_EPARSE, "invalid utf-8"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		parsed p;
		parse(&p, cases[i].text);
		if (p.rc != cases[i].rc || p.diags.count != 1)
			fail_msg("case %zu: rc %d, %zu diagnostics", i, p.rc, p.diags.count);
		const tm_diag *d = &p.diags.items[0];
		if (d->loc.line != cases[i].line || d->loc.col != cases[i].col || !strstr(d->msg, cases[i].msg))
			fail_msg("case %zu: %u:%u %s", i, d->loc.line, d->loc.col, d->msg);
		assert_string_equal(d->loc.path, "infra/main.tf");
		done(&p);
	}
	/* what parsed before the error is kept */
	parsed p;
	parse(&p, "variable \"region\" { default = \"eu-west-1\" }\nresource \"x\" {\n");
	assert_int_equal(p.rc, 1);
	assert_string_equal(str(DIG(p.root, "variable", "region", "default")), "eu-west-1");
	done(&p);
}

static void limits(void **state)
{
	(void)state;
	tm_strbuf sb = TM_STRBUF_INIT;
	tm_strbuf_puts(&sb, "a = ");
	for (int i = 0; i < 5000; i++)
		tm_strbuf_putc(&sb, '[');
	parsed p;
	parse(&p, sb.data);
	assert_int_equal(p.rc, TM_ELIMIT);
	assert_null(p.f);
	assert_int_equal(p.diags.count, 1);
	assert_int_equal(p.diags.items[0].code, TM_ELIMIT);
	done(&p);
	tm_strbuf_dispose(&sb);
	tm_limits lim;
	tm_limits_default(&lim);
	lim.max_file_bytes = 4;
	tm_diag_list_init(&p.diags);
	p.f = NULL;
	assert_int_equal(tm_hcl_parse(&p.f, "big.tf", "a = 12345", 9, &lim, &p.diags), TM_ELIMIT);
	done(&p);
	/* empty input and a byte order mark */
	parse(&p, "");
	assert_int_equal(p.rc, 0);
	assert_int_equal(tm_value_len(p.root), 0);
	done(&p);
	parse(&p, "\xEF\xBB\xBF" "a = 1\n");
	assert_int_equal(p.rc, 0);
	assert_non_null(tm_map_get(p.root, "a"));
	done(&p);
}

static int parse_alloc_once(void)
{
	tm_diag_list d;
	tm_diag_list_init(&d);
	tm_file *f = NULL;
	const char *t = "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x-${var.env}\"\n  tags = {a = [1, 2]}\n"
			"  p = <<EOF\n{}\nEOF\n  q = f(var.a, [for x in y : x])\n  rule { cidr = [\"0.0.0.0/0\"] }\n}\n";
	int rc = tm_hcl_parse(&f, "m.tf", t, strlen(t), NULL, &d);
	tm_file_free(f);
	tm_diag_list_dispose(&d);
	return rc;
}

static void survives_every_allocation_failure(void **state)
{
	(void)state;
	tm_set_allocator(&counting);
	calls = 0;
	fail_at = 0;
	assert_int_equal(parse_alloc_once(), 0);
	size_t total = calls;
	assert_true(total > 10);
	for (fail_at = 1; fail_at <= total; fail_at++) {
		calls = 0;
		int rc = parse_alloc_once();
		assert_true(rc == 0 || rc == TM_ENOMEM);
	}
	tm_set_allocator(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(blocks_attributes_positions),
		cmocka_unit_test(expressions_kept_as_source),
		cmocka_unit_test(strings_and_heredocs),
		cmocka_unit_test(syntax_errors_are_positioned),
		cmocka_unit_test(limits),
		cmocka_unit_test(survives_every_allocation_failure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
