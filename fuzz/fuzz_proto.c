/*
 * fuzz_proto.c - libFuzzer target for .proto files (TM_FUZZ_PROTO): the tokenizer, the reader,
 * type resolution, linking and the endpoints' facts.
 *
 * The input is one .proto, scanned in memory twice over: as src/cartservice/api/a.proto and as a
 * copy in protos/, beside a fixed manifest (a Deployment cartservice and its Service cart-service),
 * so every linking rule (hint, service name, directory, copies of one service) and the unlinked
 * assumption are reachable by mutation. Every node's attributes of the model are read back.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "trustmap/scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char manifest[] = "apiVersion: apps/v1\n"
			       "kind: Deployment\n"
			       "metadata: {name: cartservice, namespace: shop}\n"
			       "spec:\n"
			       "  selector: {matchLabels: {app: cart}}\n"
			       "  template:\n"
			       "    metadata: {labels: {app: cart}}\n"
			       "    spec: {containers: [{name: server, image: 'cart:1.0'}]}\n"
			       "---\n"
			       "apiVersion: v1\n"
			       "kind: Service\n"
			       "metadata: {name: cart-service, namespace: shop}\n"
			       "spec: {selector: {app: cart}, ports: [{port: 7070}]}\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	tm_mem_file files[] = {
		{"k8s/cart.yaml", manifest, sizeof(manifest) - 1},
		{"protos/a.proto", text, size},
		{"src/cartservice/api/a.proto", text, size},
	};
	tm_limits limits;
	tm_limits_default(&limits);
	tm_scan *s = NULL;
	tm_scan_run_mem(&s, files, sizeof(files) / sizeof(files[0]), &limits);
	const tm_model *m = s ? tm_scan_model(s) : NULL;
	size_t total = 0;
	for (size_t i = 0; m && i < tm_model_node_count(m); i++) {
		const tm_node *n = tm_model_node(m, i);
		for (size_t k = 0; k < tm_node_attr_count(n); k++) {
			const tm_attr *a = tm_node_attr(n, k);
			total += strlen(a->key);
			for (size_t j = 0; a->type == TM_ATTR_LIST && a->list[j]; j++)
				total += strlen(a->list[j]);
			if (a->type == TM_ATTR_STR)
				total += strlen(a->str);
		}
	}
	tm_scan_free(s);
	return total == (size_t)-1;
}
