/* test_proto.c - gRPC .proto files: the tokenizer's edge cases, rpcs as endpoints (streaming,
 * HTTP bindings, message facts), positioned diagnostics for malformed files, linking to a
 * workload and the unlinked assumption. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "counting_alloc.h"
#include "trustmap/scan.h"
#include "util/util.h"

static tm_scan *scan_files(const tm_mem_file *files, size_t n)
{
	tm_limits lim;
	tm_limits_default(&lim);
	tm_scan *s = NULL;
	int rc = tm_scan_run_mem(&s, files, n, &lim);
	assert_true(rc == 0 || rc == TM_EIO);
	assert_non_null(s);
	return s;
}

static tm_scan *scan_one(const char *path, const char *text)
{
	tm_mem_file f = {path, text, strlen(text)};
	return scan_files(&f, 1);
}

static const char *str(const tm_node *n, const char *key)
{
	assert_non_null(n);
	return tm_node_attr_str(n, key);
}

static bool has_item(const tm_node *n, const char *key, const char *item)
{
	const tm_attr *at = tm_node_attr_get(n, key);
	for (size_t i = 0; at && at->type == TM_ATTR_LIST && at->list[i]; i++)
		if (strcmp(at->list[i], item) == 0)
			return true;
	return false;
}

static bool diag_at(const tm_scan *s, const char *path, uint32_t line, uint32_t col, const char *text)
{
	const tm_diag_list *d = tm_scan_diags(s);
	for (size_t i = 0; i < d->count; i++)
		if (d->items[i].level == TM_LEVEL_ERROR && d->items[i].loc.path &&
		    strcmp(d->items[i].loc.path, path) == 0 && d->items[i].loc.line == line &&
		    d->items[i].loc.col == col && strstr(d->items[i].msg, text))
			return true;
	return false;
}

static size_t errors(const tm_scan *s)
{
	return tm_diag_count(tm_scan_diags(s), TM_LEVEL_ERROR);
}

static const char *input_kind(const tm_scan *s, const char *path)
{
	for (size_t i = 0; i < tm_scan_input_count(s); i++)
		if (strcmp(tm_scan_input(s, i)->path, path) == 0)
			return tm_scan_input(s, i)->kind;
	return NULL;
}

/* ---- reading -------------------------------------------------------------- */

static const char shop_proto[] =
	"\xEF\xBB\xBF// a leading comment with a brace { and rpc X(Y) returns (Z);\n"
	"syntax = \"proto3\";\n"
	"package shop.v1;\n"
	"import public \"google/api/annotations.proto\";\n"
	"option go_package = \"example.com/shop;shop\"; /* block { comment */\n"
	"option java_multiple_files = true;\n"
	"service Shop {\n"
	"  option (some.service_opt) = { a: 1 nested { b: \"}\" } };\n"
	"  rpc GetUser (GetUserRequest) returns (User) {\n"
	"    option (google.api.http) = { get: \"/v1/users/{user_id}\" additional_bindings { post: \"/v1/other\" } };\n"
	"  }\n"
	"  rpc Upload (stream Chunk) returns (UploadReply);\n"
	"  rpc Watch (WatchRequest) returns (stream Event) {}\n"
	"  rpc Chat (stream .shop.v1.Event) returns (stream Event) { option deprecated = true; };\n"
	"  rpc Update (UpdateUserRequest) returns (User) {\n"
	"    option (google.api.http) = { patch: \"/v1/users/{user.id}\" body: \"user\" };\n"
	"  }\n"
	"}\n"
	"message GetUserRequest { uint64 user_id = 1 [(validate.rules).uint64 = {gt: 0}]; }\n"
	"message User {\n"
	"  string name = 1;\n"
	"  Profile profile = 2;\n"
	"  message Profile { string email = 1; map<string, Secret> secrets = 2; }\n"
	"  message Secret { string api_key = 1; }\n"
	"  enum Kind { KIND_UNSPECIFIED = 0; ADMIN = 1 [deprecated = true]; }\n"
	"  oneof contact { string phone = 3; string fax = 4; }\n"
	"  reserved 9, 10 to 12; reserved \"old\";\n"
	"}\n"
	"message UpdateUserRequest {\n"
	"  User user = 1;\n"
	"  string role = 2;\n"
	"  string callback_url = 3;\n"
	"  Nested nested = 4;\n"
	"  message Nested { string state = 1; string owner_id = 2; }\n"
	"}\n"
	"message Chunk { bytes data = 1; }\n"
	"message UploadReply { string message = 1; string option = 2; }\n"
	"message WatchRequest {}\n"
	"message Event { optional string text = 1; }\n";

static const tm_node *ep(const tm_model *m, const char *method_path)
{
	char id[256];
	snprintf(id, sizeof(id), "endpoint:api/shop-v1-shop/GRPC %s", method_path);
	return tm_model_find(m, id);
}

static void rpcs_become_endpoints(void **state)
{
	(void)state;
	tm_scan *s = scan_one("api/shop.proto", shop_proto);
	assert_int_equal(errors(s), 0);
	assert_string_equal(input_kind(s, "api/shop.proto"), "grpc");
	const tm_model *m = tm_scan_model(s);
	const tm_node *get = ep(m, "/shop.v1.Shop/GetUser");
	assert_non_null(get);
	assert_string_equal(str(get, "method"), "GRPC");
	assert_string_equal(str(get, "path"), "/shop.v1.Shop/GetUser");
	assert_string_equal(str(get, "grpc_service"), "shop.v1.Shop");
	assert_string_equal(str(get, "request"), "GetUserRequest");
	assert_string_equal(str(get, "response"), "User");
	assert_string_equal(str(get, "streaming"), "unary");
	assert_string_equal(str(get, "authn"), "unknown");
	assert_string_equal(str(get, "spec"), "api/shop.proto");
	const tm_attr *anon = tm_node_attr_get(get, "anonymous");
	assert_non_null(anon);
	assert_int_equal(anon->num, 0);
	/* the first binding names the endpoint; additional_bindings sit deeper */
	assert_string_equal(str(get, "http_method"), "GET");
	assert_string_equal(str(get, "http_path"), "/v1/users/{user_id}");
	/* evidence points at the rpc */
	assert_int_equal(tm_node_evidence_count(get), 1);
	assert_int_equal(tm_node_evidence(get, 0).line, 9);
	assert_int_equal(tm_node_evidence(get, 0).col, 3);
	assert_string_equal(str(ep(m, "/shop.v1.Shop/Upload"), "streaming"), "client");
	assert_string_equal(str(ep(m, "/shop.v1.Shop/Watch"), "streaming"), "server");
	const tm_node *chat = ep(m, "/shop.v1.Shop/Chat");
	assert_string_equal(str(chat, "streaming"), "bidi");
	assert_string_equal(str(chat, "request"), ".shop.v1.Event");
	assert_int_equal(tm_node_attr_get(chat, "deprecated")->num, 1);
	const tm_node *upd = ep(m, "/shop.v1.Shop/Update");
	assert_string_equal(str(upd, "http_method"), "PATCH");
	assert_string_equal(str(upd, "http_body"), "user");
	/* nothing from comments or strings became an rpc */
	size_t n = 0;
	for (size_t i = 0; i < tm_model_node_count(m); i++)
		n += tm_node_kind_of(tm_model_node(m, i)) == TM_NODE_ENDPOINT;
	assert_int_equal(n, 5);
	tm_scan_free(s);
}

static void message_facts(void **state)
{
	(void)state;
	tm_scan *s = scan_one("api/shop.proto", shop_proto);
	const tm_model *m = tm_scan_model(s);
	const tm_node *get = ep(m, "/shop.v1.Shop/GetUser");
	/* the response, nested messages and map values included */
	assert_true(has_item(get, "sensitive_response", "email"));
	assert_true(has_item(get, "sensitive_response", "api_key"));
	assert_true(has_item(get, "sensitive_response", "phone"));
	assert_false(has_item(get, "sensitive_response", "name"));
	/* the HTTP binding's path takes it: where the call carries it */
	assert_true(has_item(get, "object_ids", "user_id:path:integer"));
	const tm_node *upd = ep(m, "/shop.v1.Shop/Update");
	assert_true(has_item(upd, "privileged_writable", "role"));
	assert_true(has_item(upd, "url_inputs", "body:callback_url"));
	/* a nested message's fields are values, not the call's privileged arguments */
	assert_false(has_item(upd, "privileged_writable", "state"));
	assert_false(has_item(upd, "object_ids", "owner_id:body:string"));
	tm_scan_free(s);
}

static void unlinked_assumption(void **state)
{
	(void)state;
	tm_scan *s = scan_one("api/shop.proto", shop_proto);
	const tm_node *svc = tm_model_find(tm_scan_model(s), "service:api/shop-v1-shop");
	assert_non_null(svc);
	assert_non_null(tm_node_attr_get(svc, "unlinked"));
	assert_string_equal(str(svc, "exposure_assumed"), "partner");
	assert_non_null(str(svc, "assumed"));
	assert_true(has_item(svc, "grpc_services", "shop.v1.Shop"));
	const tm_node *get = ep(tm_scan_model(s), "/shop.v1.Shop/GetUser");
	assert_string_equal(str(get, "exposure"), "partner");
	assert_string_equal(str(get, "exposure_assumed"), "partner");
	assert_non_null(strstr(str(get, "linked_by"), "not linked"));
	tm_scan_free(s);
}

static void proto2_and_odd_forms(void **state)
{
	(void)state;
	static const char text[] = "syntax = 'proto2';\n"
				   "package p2;\n"
				   "message Req {\n"
				   "  required string id = 1 [default = \"a\\\"b\"];\n"
				   "  repeated group Line = 2 { optional int32 n = 3; }\n"
				   "  extensions 100 to max;\n"
				   "  optional double ratio = 4 [default = -1.5e-3];\n"
				   "}\n"
				   "extend Req { optional string extra = 101; }\n"
				   "enum E { A = 0; B = -1; }\n"
				   "message Resp { optional group g = 1; optional Resp group = 2; }\n"
				   "message group {}\n"
				   "service S { rpc Do(Req) returns(Resp); ; }\n";
	tm_scan *s = scan_one("p2.proto", text);
	assert_int_equal(errors(s), 0);
	assert_non_null(tm_model_find(tm_scan_model(s), "endpoint:api/p2-s/GRPC /p2.S/Do"));
	tm_scan_free(s);
}

static void hertz_bindings_and_no_package(void **state)
{
	(void)state;
	static const char text[] = "syntax = \"proto3\";\n"
				   "message Empty {}\n"
				   "service Home { rpc Index(Empty) returns (Empty) { option (api.get) = \"/\"; }\n"
				   "  rpc Login(Empty) returns (Empty) { option (api.post) = \"/auth/login\"; } }\n";
	tm_scan *s = scan_one("idl/home.proto", text);
	assert_int_equal(errors(s), 0);
	const tm_node *n = tm_model_find(tm_scan_model(s), "endpoint:api/home/GRPC /Home/Index");
	assert_string_equal(str(n, "http_method"), "GET");
	assert_string_equal(str(n, "http_path"), "/");
	n = tm_model_find(tm_scan_model(s), "endpoint:api/home/GRPC /Home/Login");
	assert_string_equal(str(n, "http_method"), "POST");
	tm_scan_free(s);
}

/* ---- malformed files: one error at the offending token ---------------------- */

static void malformed_positions(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		uint32_t line, col;
		const char *msg;
	} cases[] = {
		{"syntax = \"proto3\";\n/* never closed\n", 2, 1, "unterminated comment"},
		{"package a;\noption x = \"open\n;", 2, 12, "unterminated string"},
		{"service S {\n  rpc M (A) gives (B);\n}\n", 2, 13, "expected 'returns'"},
		{"message M {\n  string a = ;\n}\n", 2, 14, "expected a field number"},
		{"message M {\n  string a = 1\n}\n", 3, 1, "expected ';' after the field"},
		{"service S {\n  rpc M (A) returns (B);\n", 2, 25, "expected '}'"},
		{"package a;\n  \xC3\xA9\n", 2, 3, "unexpected character"},
		{"package a;\nfoo bar;\n", 2, 1, "expected a package, import"},
		{"service S { rpc M () returns (B); }", 1, 20, "expected a message type"},
		{"message M { map<string int32> m = 1; }", 1, 24, "expected ','"},
	};
	for (size_t i = 0; i < TM_ARRAY_LEN(cases); i++) {
		tm_scan *s = scan_one("bad.proto", cases[i].text);
		if (!diag_at(s, "bad.proto", cases[i].line, cases[i].col, cases[i].msg)) {
			const tm_diag_list *d = tm_scan_diags(s);
			for (size_t k = 0; k < d->count; k++)
				print_message("case %zu: %u:%u %s\n", i, d->items[k].loc.line, d->items[k].loc.col,
					      d->items[k].msg);
			fail_msg("case %zu: no error '%s' at %u:%u", i, cases[i].msg, cases[i].line, cases[i].col);
		}
		assert_int_equal(errors(s), 1); /* one diagnostic per file */
		tm_scan_free(s);
	}
}

static void complete_services_before_an_error_stay(void **state)
{
	(void)state;
	static const char text[] = "package k;\nmessage A {}\nservice Good { rpc M (A) returns (A); }\n"
				   "service Bad { rpc N (A) returns A; }\n";
	tm_scan *s = scan_one("k.proto", text);
	assert_true(diag_at(s, "k.proto", 4, 33, "expected '('"));
	assert_non_null(tm_model_find(tm_scan_model(s), "endpoint:api/k-good/GRPC /k.Good/M"));
	assert_null(tm_model_find(tm_scan_model(s), "endpoint:api/k-bad/GRPC /k.Bad/N"));
	tm_scan_free(s);
}

static void bounds(void **state)
{
	(void)state;
	/* nesting deeper than the limit */
	tm_strbuf sb = TM_STRBUF_INIT;
	for (int i = 0; i < 100; i++)
		tm_strbuf_printf(&sb, "message M%d {\n", i);
	for (int i = 0; i < 100; i++)
		tm_strbuf_printf(&sb, "}\n");
	assert_false(sb.oom);
	tm_scan *s = scan_one("deep.proto", sb.data);
	assert_int_equal(errors(s), 1);
	assert_true(diag_at(s, "deep.proto", 33, 9, "nested too deep"));
	tm_scan_free(s);
	/* an option value nested deeper than the limit */
	tm_strbuf_reset(&sb);
	tm_strbuf_printf(&sb, "option (x) = ");
	for (int i = 0; i < 100; i++)
		tm_strbuf_printf(&sb, "{ a ");
	tm_strbuf_printf(&sb, ";\n");
	s = scan_one("opt.proto", sb.data);
	assert_int_equal(errors(s), 1);
	tm_scan_free(s);
	/* more tokens than the limit, inside the size limit */
	tm_strbuf_reset(&sb);
	for (int i = 0; i < 200001; i++)
		tm_strbuf_printf(&sb, ";");
	s = scan_one("many.proto", sb.data);
	assert_int_equal(errors(s), 1);
	const tm_diag_list *d = tm_scan_diags(s);
	assert_int_equal(d->items[0].code, TM_ELIMIT);
	tm_scan_free(s);
	/* wide and deep messages under many rpcs: each message is walked once, not once per path */
	tm_strbuf_reset(&sb);
	tm_strbuf_printf(&sb, "package w;\nservice S {\n");
	for (int i = 0; i < 3000; i++)
		tm_strbuf_printf(&sb, "rpc R%d (M0) returns (M0);\n", i);
	tm_strbuf_printf(&sb, "}\n");
	for (int i = 0; i < 40; i++) {
		tm_strbuf_printf(&sb, "message M%d {\n", i);
		for (int k = 0; k < 40; k++)
			tm_strbuf_printf(&sb, "  M%d f%d = %d;\n", i + 1, k, k + 1);
		tm_strbuf_printf(&sb, "  string email = 99; string callback_url = 98;\n}\n");
	}
	assert_false(sb.oom);
	s = scan_one("wide.proto", sb.data);
	assert_int_equal(errors(s), 0);
	const tm_node *r = tm_model_find(tm_scan_model(s), "endpoint:api/w-s/GRPC /w.S/R2999");
	assert_true(has_item(r, "sensitive_response", "email"));
	assert_true(has_item(r, "url_inputs", "body:callback_url"));
	tm_scan_free(s);
	tm_strbuf_dispose(&sb);
	/* a NUL byte is refused as for every text input */
	static const char nul[] = "package a;\0service S {}";
	tm_mem_file f = {"nul.proto", nul, sizeof(nul) - 1};
	s = scan_files(&f, 1);
	assert_int_equal(errors(s), 1);
	tm_scan_free(s);
}

/* ---- linking ---------------------------------------------------------------- */

static const char manifests[] = "apiVersion: apps/v1\n"
				"kind: Deployment\n"
				"metadata: {name: cartservice, namespace: shop}\n"
				"spec:\n"
				"  selector: {matchLabels: {app: cart}}\n"
				"  template:\n"
				"    metadata: {labels: {app: cart}}\n"
				"    spec: {containers: [{name: server, image: 'cart:1.0', ports: [{containerPort: 7070}]}]}\n"
				"---\n"
				"apiVersion: v1\n"
				"kind: Service\n"
				"metadata: {name: cart-service, namespace: shop}\n"
				"spec: {selector: {app: cart}, ports: [{port: 7070}]}\n"
				"---\n"
				"apiVersion: apps/v1\n"
				"kind: Deployment\n"
				"metadata: {name: ledger, namespace: shop}\n"
				"spec:\n"
				"  selector: {matchLabels: {app: ledger}}\n"
				"  template:\n"
				"    metadata: {labels: {app: ledger}}\n"
				"    spec: {containers: [{name: server, image: 'ledger:1.0'}]}\n";

static const char cart_proto[] = "syntax = \"proto3\";\npackage hipstershop;\n"
				 "message Req { string user_id = 1; }\nmessage Resp {}\n"
				 "service CartService { rpc AddItem (Req) returns (Resp) {} }\n";

static void links_by_name_and_copies(void **state)
{
	(void)state;
	tm_mem_file files[] = {
		{"k8s/app.yaml", manifests, sizeof(manifests) - 1},
		{"protos/demo.proto", cart_proto, sizeof(cart_proto) - 1},
		{"src/other/proto/demo.proto", cart_proto, sizeof(cart_proto) - 1},
	};
	tm_scan *s = scan_files(files, TM_ARRAY_LEN(files));
	assert_int_equal(errors(s), 0);
	const tm_model *m = tm_scan_model(s);
	const tm_node *e = tm_model_find(m, "endpoint:shop/cartservice/GRPC /hipstershop.CartService/AddItem");
	assert_non_null(e);
	assert_string_equal(str(e, "service"), "service:shop/cartservice");
	assert_non_null(strstr(str(e, "linked_by"), "service name 'CartService'"));
	assert_string_equal(str(e, "exposure"), "cluster");
	assert_null(tm_node_attr_get(e, "exposure_assumed"));
	/* one endpoint, both copies its evidence */
	assert_int_equal(tm_node_evidence_count(e), 2);
	const tm_node *svc = tm_model_find(m, "service:shop/cartservice");
	assert_true(has_item(svc, "grpc_services", "hipstershop.CartService"));
	assert_int_equal(tm_node_attr_get(svc, "api_operations")->num, 1);
	assert_null(tm_model_find(m, "service:api/hipstershop-cartservice"));
	tm_scan_free(s);
}

static void links_by_hint_and_directory(void **state)
{
	(void)state;
	static const char hinted[] = "package pay;\nmessage R {}\n"
				     "service Payments { option (trustmap.service) = \"shop/ledger\"; rpc Charge (R) returns (R); }\n";
	static const char dir[] = "package acct;\nmessage R {}\nservice Accounts { rpc Get (R) returns (R); }\n";
	static const char missing[] = "package x;\noption (trustmap.service) = \"shop/nowhere\";\nmessage R {}\n"
				      "service Lost { rpc Get (R) returns (R); }\n";
	tm_mem_file files[] = {
		{"k8s/app.yaml", manifests, sizeof(manifests) - 1},
		{"api/pay.proto", hinted, sizeof(hinted) - 1},
		{"src/ledger/api/acct.proto", dir, sizeof(dir) - 1},
		{"x/lost.proto", missing, sizeof(missing) - 1},
	};
	tm_scan *s = scan_files(files, TM_ARRAY_LEN(files));
	const tm_model *m = tm_scan_model(s);
	const tm_node *e = tm_model_find(m, "endpoint:shop/ledger/GRPC /pay.Payments/Charge");
	assert_non_null(e);
	assert_non_null(strstr(str(e, "linked_by"), "trustmap.service"));
	e = tm_model_find(m, "endpoint:shop/ledger/GRPC /acct.Accounts/Get");
	assert_non_null(e);
	assert_non_null(strstr(str(e, "linked_by"), "directory 'ledger'"));
	/* a hint naming nothing: a warning at the service, then the unlinked assumption */
	const tm_diag_list *d = tm_scan_diags(s);
	bool warned = false;
	for (size_t i = 0; i < d->count; i++)
		warned = warned || (d->items[i].level == TM_LEVEL_WARNING && strcmp(d->items[i].loc.path, "x/lost.proto") == 0 &&
				    d->items[i].loc.line == 4 && strstr(d->items[i].msg, "names no workload"));
	assert_true(warned);
	assert_non_null(tm_model_find(m, "endpoint:api/x-lost/GRPC /x.Lost/Get"));
	tm_scan_free(s);
}

static void vendored_standard_services(void **state)
{
	(void)state;
	static const char health[] = "syntax = \"proto3\";\npackage grpc.health.v1;\n"
				     "message HealthCheckRequest { string service = 1; }\n"
				     "message HealthCheckResponse { int32 status = 1; }\n"
				     "service Health { rpc Check (HealthCheckRequest) returns (HealthCheckResponse);\n"
				     "  rpc Watch (HealthCheckRequest) returns (stream HealthCheckResponse); }\n";
	tm_mem_file files[] = {
		{"k8s/app.yaml", manifests, sizeof(manifests) - 1},
		{"protos/grpc/health/v1/health.proto", health, sizeof(health) - 1},
		{"src/ledger/proto/grpc/health/v1/health.proto", health, sizeof(health) - 1},
	};
	tm_scan *s = scan_files(files, TM_ARRAY_LEN(files));
	const tm_model *m = tm_scan_model(s);
	/* the copy under src/ledger/ is ledger's; the one beside no workload is no API of its own */
	const tm_node *w = tm_model_find(m, "endpoint:shop/ledger/GRPC /grpc.health.v1.Health/Watch");
	assert_non_null(w);
	assert_string_equal(str(w, "streaming"), "server");
	assert_null(tm_model_find(m, "service:api/grpc-health-v1-health"));
	tm_scan_free(s);
	s = scan_one("protos/grpc/health/v1/health.proto", health);
	assert_int_equal(errors(s), 0);
	assert_null(tm_model_find(tm_scan_model(s), "service:api/grpc-health-v1-health"));
	assert_string_equal(input_kind(s, "protos/grpc/health/v1/health.proto"), "grpc");
	tm_scan_free(s);
}

/* Every allocation of a scan with protos, linked and unlinked, failing in turn: TM_ENOMEM or a
 * result, never a crash or a leak (the sanitizer build watches). */
static int scan_protos_once(void)
{
	tm_mem_file files[] = {
		{"k8s/app.yaml", manifests, sizeof(manifests) - 1},
		{"protos/demo.proto", cart_proto, sizeof(cart_proto) - 1},
		{"src/other/proto/demo.proto", cart_proto, sizeof(cart_proto) - 1},
		{"api/shop.proto", shop_proto, sizeof(shop_proto) - 1},
	};
	tm_limits lim;
	tm_limits_default(&lim);
	tm_scan *s = NULL;
	int rc = tm_scan_run_mem(&s, files, TM_ARRAY_LEN(files), &lim);
	tm_scan_free(s);
	return rc;
}

static void survives_every_allocation_failure(void **state)
{
	(void)state;
	tm_set_allocator(&counting);
	calls = 0;
	fail_at = 0;
	assert_int_equal(scan_protos_once(), 0);
	size_t total = calls;
	assert_true(total > 100);
	size_t stride = total > 4000 ? total / 2000 : 1;
	for (fail_at = 1; fail_at <= total; fail_at += fail_at < 1500 ? 1 : stride) {
		calls = 0;
		int rc = scan_protos_once();
		assert_true(rc == 0 || rc == TM_ENOMEM);
	}
	tm_set_allocator(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rpcs_become_endpoints),
		cmocka_unit_test(message_facts),
		cmocka_unit_test(unlinked_assumption),
		cmocka_unit_test(proto2_and_odd_forms),
		cmocka_unit_test(hertz_bindings_and_no_package),
		cmocka_unit_test(malformed_positions),
		cmocka_unit_test(complete_services_before_an_error_stay),
		cmocka_unit_test(bounds),
		cmocka_unit_test(links_by_name_and_copies),
		cmocka_unit_test(links_by_hint_and_directory),
		cmocka_unit_test(vendored_standard_services),
		cmocka_unit_test(survives_every_allocation_failure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
