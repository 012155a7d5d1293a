/*
 * paths.c - attack paths that cross layers: from the internet, through the
 * routes and calls the policies allow, to an identity's dangerous grants, a
 * secret or restricted data. One finding per entry workload (a path family),
 * naming its most valuable target; the path is what `trustmap paths --from
 * internet` prints.
 */
#include <stdio.h>

#include "rules.h"
#include "trustmap/paths.h"

#define MIN_VALUE 60

/* Does workload w take secret s by its keys only: every mount of it from w an env var's
 * secretKeyRef, a volume that lists its items (not envFrom, not a whole volume), a compose
 * secret (one value, mounted by its name) or its own configuration file's credentials (what the
 * application reads to run, held in its files)? */
static bool own_keys(const tm_model *m, const tm_node *w, const tm_node *s)
{
	size_t cur = 0;
	bool any = false;
	/* a TLS Secret holds the serving certificate and its key, both what the workload serving it
	 * runs with, however it mounts them */
	const char *type = tm_node_attr_str(s, "secret_type");
	bool tls = type && strcmp(type, "kubernetes.io/tls") == 0;
	for (const tm_edge *e; (e = tm_rules__in_edge(m, s, TM_EDGE_MOUNTS, &cur));) {
		if (tm_edge_from(e) != w)
			continue;
		const tm_attr *how = tm_edge_attr_get(e, "how");
		bool keyed = tm_edge_attr_get(e, "keys") != NULL && !tm_edge_attr_get(e, "every_key");
		for (size_t k = 0; how && how->type == TM_ATTR_LIST && how->list[k]; k++)
			if (strcmp(how->list[k], "env") != 0 && strcmp(how->list[k], "compose secret") != 0 &&
			    strcmp(how->list[k], TM_HOW_OWN_CONFIG_FILE) != 0 &&
			    strcmp(how->list[k], TM_HOW_OWN_IMAGE_ENV) != 0 &&
			    !((keyed || tls) && strstr(how->list[k], "volume")))
				return false;
		any = how != NULL;
	}
	return any;
}

/* The first item of list attribute keys that list attribute held lacks, or NULL. Both are sorted
 * and free of repeats once the model is frozen: one merge walk, linear in the two. */
static const char *key_not_in(const tm_attr *keys, const tm_attr *held)
{
	if (!keys || keys->type != TM_ATTR_LIST)
		return NULL;
	size_t j = 0;
	bool hl = held && held->type == TM_ATTR_LIST;
	for (size_t k = 0; keys->list[k]; k++) {
		while (hl && held->list[j] && strcmp(held->list[j], keys->list[k]) < 0)
			j++;
		if (!hl || !held->list[j] || strcmp(held->list[j], keys->list[k]) != 0)
			return keys->list[k];
	}
	return NULL;
}

/* The keys taker e (a mounts or reads edge into secret s) holds: the ones it lists, or every key of
 * s (a whole mount, an RBAC read) where the inputs hold s's keys; NULL when not known. */
static const tm_attr *keys_taken(const tm_edge *e, const tm_node *s)
{
	const tm_attr *keys = tm_edge_kind_of(e) == TM_EDGE_MOUNTS ? tm_edge_attr_get(e, "keys") : NULL;
	return keys && !tm_edge_attr_get(e, "every_key") ? keys : tm_node_attr_get(s, "keys");
}

/*
 * Secret s, which the entry workload w takes key by key (own_keys): what w holds is the keys it
 * takes, not the Secret. Another taker of s that the same walk reaches from w (the database w
 * calls, which takes the root password from the Secret that also holds w's own password) holds a
 * key w does not take: a path to that key, as to a Secret of its own. The first such taker (edge
 * order) and the key into *taker and *key; false when none.
 */
static bool other_key(const tm_model *m, const tm_reach *r, const size_t *entry, size_t family, const tm_node *w,
		      const tm_node *s, const tm_edge **taker, const char **key)
{
	const tm_edge *mine = NULL;
	size_t cur = 0;
	for (const tm_edge *e; !mine && (e = tm_rules__in_edge(m, s, TM_EDGE_MOUNTS, &cur));)
		if (tm_edge_from(e) == w)
			mine = e;
	const tm_attr *held = mine ? tm_edge_attr_get(mine, "keys") : NULL;
	if (!held || tm_edge_attr_get(mine, "every_key"))
		return false;
	size_t nin;
	const tm_edge *const *in = tm_model__incoming(m, s, &nin);
	for (size_t i = 0; i < nin; i++) {
		const tm_edge *e = in[i];
		const tm_node *v = tm_edge_from(e);
		if (v == w || (tm_edge_kind_of(e) != TM_EDGE_MOUNTS && tm_edge_kind_of(e) != TM_EDGE_READS) ||
		    tm_edge_attr_get(e, "public_only"))
			continue;
		const tm_hop *vh = tm_reach_find(r, v);
		if (!vh || entry[vh - tm_reach_at(r, 0)] != family)
			continue;
		const char *k = key_not_in(keys_taken(e, s), held);
		if (k) {
			*taker = e;
			*key = k;
			return true;
		}
	}
	return false;
}

/* Does store s ask every client for credentials: a password set (auth configured) or security on
 * by its product's default (Vault's tokens, Elasticsearch 8)? */
static bool store_asks_credentials(const tm_node *s)
{
	tm_node_kind k = tm_node_kind_of(s);
	const char *auth = tm_node_attr_str(s, "auth");
	return (k == TM_NODE_DATASTORE || k == TM_NODE_QUEUE) &&
	       ((auth && strcmp(auth, "configured") == 0) || tm_rules__attr_true(s, "secured_by_default"));
}

/* Does the internet reach workload w only on its Docker Engine API with --tlsverify (docker_api.c):
 * every route from the internet to it on such a port? A client certificate is asked before any
 * request, so no path starts there. */
static bool docker_tls_only(const tm_model *m, const tm_node *w)
{
	const char *const *tls = tm_rules__list(w, "docker_api_tls");
	if (!tls)
		return false;
	size_t cur = 0;
	bool any = false;
	for (const tm_edge *e; (e = tm_rules__in_edge(m, w, TM_EDGE_ROUTES, &cur));) {
		if (strcmp(tm_node_id(tm_edge_from(e)), "entrypoint:internet") != 0)
			continue;
		const tm_attr *ports = tm_edge_attr_get(e, "ports");
		for (size_t i = 0; ports && ports->type == TM_ATTR_LIST && ports->list[i]; i++) {
			bool tls_port = false;
			for (size_t k = 0; tls[k] && !tls_port; k++) {
				const char *colon = strrchr(tls[k], ':');
				tls_port = colon && strcmp(colon + 1, ports->list[i]) == 0;
			}
			if (!tls_port)
				return false;
			any = true;
		}
		if (!ports)
			return false;
	}
	return any;
}

/* Is node element n a Kubernetes pool of dedicated nodes (tainted, ingest/nodes.c) that hosts
 * workload w alone? Root there holds w's own pods: nothing the escape adds to taking w over. The
 * first other workload hosted ends the look: one edge for a shared pool. */
static bool dedicated_to(const tm_model *m, const tm_node *n, const tm_node *w)
{
	const char *pool = tm_node_attr_str(n, "node_pool");
	if (!pool || strncmp(pool, "k8s/", 4) != 0)
		return false;
	size_t nout;
	const tm_edge *const *out = tm_model__outgoing(m, n, &nout);
	for (size_t i = 0; i < nout; i++)
		if (tm_edge_kind_of(out[i]) == TM_EDGE_HOSTS && tm_edge_to(out[i]) != w)
			return false;
	return true;
}

void tm_rule__path_internet_to_secrets(tm_rule_ctx *c)
{
	tm_reach *r = NULL;
	const char *why = NULL;
	if (tm_reach_run(&r, c->m, "internet", &why)) {
		tm_reach_free(r);
		return;
	}
	/* Each hop's family (the first workload on its chain) and value, in walk order: a hop's parent
	 * comes before it, so one pass settles both; then each family's best target (highest value,
	 * first reached on a tie). Linear in the hops. */
	size_t n = tm_reach_count(r);
	size_t *entry = tm_calloc(n + 1, sizeof(size_t)); /* hop index of the family's workload + 1 */
	int *value = tm_calloc(n + 1, sizeof(int));
	size_t *best = tm_calloc(n + 1, sizeof(size_t)); /* per family workload hop: its target + 1 */
	const char **what = tm_calloc(n + 1, sizeof(char *));
	bool *by_key = tm_calloc(n + 1, sizeof(bool));         /* a secret the entry takes key by key */
	const tm_edge **via = tm_calloc(n + 1, sizeof(*via)); /* ... and another taker of its other keys */
	if (!entry || !value || !best || !what || !by_key || !via)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const tm_hop *h = tm_reach_at(r, i);
		const tm_hop *up = h->from ? tm_reach_find(r, h->from) : NULL;
		size_t parent = up ? (size_t)(up - tm_reach_at(r, 0)) : SIZE_MAX;
		entry[i] = parent != SIZE_MAX && entry[parent] ? entry[parent]
			   : tm_node_kind_of(h->node) == TM_NODE_SERVICE && !docker_tls_only(c->m, h->node) ? i + 1 : 0;
		value[i] = tm_reach_value(c->m, h->node, &what[i]);
		if (value[i] < MIN_VALUE || !entry[i])
			continue;
		/* an open store that the family's own entry workload runs (a published database): TM-DATA-002
		 * says it is reachable from the internet; a path of one hop adds nothing. Farther stores,
		 * reached through other workloads' calls, are the paths this rule is for */
		const char *runs = tm_node_attr_str(h->node, "runs_in");
		bool own_store = parent != SIZE_MAX && entry[i] == parent + 1 && runs &&
				 strcmp(runs, tm_node_id(tm_reach_at(r, parent)->node)) == 0;
		if (tm_node_attr_get(h->node, "no_auth") && value[i] == TM_REACH_VALUE_OPEN_STORE && own_store)
			continue;
		/* ... nor one that asks its clients for credentials (a password set, Vault's tokens): the
		 * internet reaches its port, which TM-MESH-007 says (publishing a store), and no hop of a
		 * path lies between them to break */
		if (own_store && !tm_node_attr_get(h->node, "no_auth") && store_asks_credentials(h->node))
			continue;
		/* ... or one the entry workload calls itself, as its client (authentik's server and its
		 * redis): taking the workload over reaches it whether it asks for a password or not, since
		 * the client would hold it; that it admits other workloads too is TM-DATA-002's */
		const tm_hop *host = parent != SIZE_MAX ? tm_reach_at(r, parent) : NULL;
		const tm_hop *caller = host && host->from ? tm_reach_find(r, host->from) : NULL;
		if (tm_node_attr_get(h->node, "no_auth") && value[i] == TM_REACH_VALUE_OPEN_STORE && caller && runs &&
		    strcmp(runs, tm_node_id(host->node)) == 0 && host->how && strcmp(host->how, "calls") == 0 &&
		    (size_t)(caller - tm_reach_at(r, 0)) + 1 == entry[i])
			continue;
		/* a model server the internet reaches first is TM-MESH-014's; one the entry workload calls
		 * itself, as its client (Open WebUI and its Ollama), is reached by taking the client over,
		 * whatever the server asks: a path of one more hop adds nothing either */
		const char *mw = NULL;
		if (tm_node_kind_of(h->node) == TM_NODE_SERVICE && tm_console_model_open(h->node, &mw) &&
		    (entry[i] == i + 1 ||
		     (parent != SIZE_MAX && entry[i] == parent + 1 && h->how && strcmp(h->how, "calls") == 0)))
			continue;
		/* a secret the entry workload itself takes key by key (secretKeyRef, a volume's items) is
		 * what it runs with: TM-SEC-004 says how it is handed over; there is no hop to break */
		if (tm_node_kind_of(h->node) == TM_NODE_SECRET && parent != SIZE_MAX && entry[i] == parent + 1 &&
		    own_keys(c->m, tm_reach_at(r, parent)->node, h->node)) {
			by_key[i] = true; /* ... its other keys: below, once every hop's family is known */
			continue;
		}
		/* the dedicated nodes the entry workload runs on alone */
		if (value[i] == TM_REACH_VALUE_NODE && tm_node_kind_of(h->node) == TM_NODE_IDENTITY &&
		    dedicated_to(c->m, h->node, tm_reach_at(r, entry[i] - 1)->node))
			continue;
		size_t *b = &best[entry[i] - 1];
		if (!*b || value[i] > value[*b - 1])
			*b = i + 1;
	}
	/* the keys of those secrets the entry workload does not take, held by another workload of its
	 * walk: a target as a Secret of their own would be, reached through that workload */
	for (size_t i = 0; i < n; i++) {
		const char *key = NULL;
		const tm_node *w = by_key[i] ? tm_reach_at(r, entry[i] - 1)->node : NULL;
		if (!w || !other_key(c->m, r, entry, entry[i], w, tm_reach_at(r, i)->node, &via[i], &key))
			continue;
		what[i] = tm_rules__printf(c, "%s: its key %s, which %s does not take", what[i] ? what[i] : "a secret", key,
					   tm_node_id(w));
		size_t *b = &best[entry[i] - 1];
		if (!*b || value[i] > value[*b - 1] || (value[i] == value[*b - 1] && i < *b - 1))
			*b = i + 1;
	}
	for (size_t f = 0; f < n; f++) {
		if (!best[f])
			continue;
		size_t i = best[f] - 1;
		const tm_hop *h = tm_reach_at(r, i);
		/* a key reached through its other taker: the hop from that taker, in place of the walk's */
		tm_hop through;
		if (via[i]) {
			const tm_edge *e = via[i];
			const tm_hop *vh = tm_reach_find(r, tm_edge_from(e));
			through = (tm_hop){h->node, tm_edge_from(e),
					   tm_edge_kind_of(e) == TM_EDGE_READS ? "reads secret" : "reads mounted secret", "none",
					   tm_edge_evidence_count(e) ? tm_edge_evidence(e, 0) : h->evidence, vh->depth + 1,
					   TM_SEEN_DECLARED, false};
			h = &through;
		}
		const tm_node *ent = tm_reach_at(r, f)->node;
		/* the chain back to the start */
		const tm_hop *chain[TM_EMIT_MAX];
		size_t len = 0;
		for (const tm_hop *x = h; x && len < TM_EMIT_MAX; x = x->from ? tm_reach_find(r, x->from) : NULL)
			chain[len++] = x;
		tm_emit em;
		tm_emit_init(&em, ent);
		em.npath = 0;
		em.nevidence = 0;
		const tm_hop *escape = NULL;
		bool unchecked = true; /* no hop before the escape checks anything */
		bool open_api = false; /* ... and one of them serves the Docker Engine API without TLS */
		for (size_t k = len; k-- > 0;) {
			tm_emit_path(&em, tm_node_id(chain[k]->node));
			tm_emit_loc(&em, chain[k]->evidence);
			if (!escape && strcmp(chain[k]->how, "escapes to the node") == 0)
				escape = chain[k];
			else if (!escape && k + 1 < len && (!chain[k]->enforced || strcmp(chain[k]->enforced, "none") != 0))
				unchecked = false;
			if (!escape && tm_node_attr_get(chain[k]->node, "docker_api_listen"))
				open_api = true;
		}
		if (escape) {
			em.title = tm_rules__printf(c, "from the internet through %s to %s (%s), %zu hops, escaping to the node from %s (%s)",
						    tm_node_id(ent), tm_node_id(h->node), what[i] ? what[i] : "valuable",
						    len - 1, tm_node_id(escape->from), escape->enforced);
			em.action = "Break the path at its cheapest hop: first take away the escape (no privileged containers, "
				    "host PID, escape-grade capabilities or host paths such as / and the runtime socket), or "
				    "run the workload on dedicated tainted nodes; then give exposed workloads identities "
				    "without RBAC and keep secrets out of their reach.";
		} else {
			em.title = tm_rules__printf(c, "from the internet through %s to %s (%s), %zu hops", tm_node_id(ent),
						    tm_node_id(h->node), what[i] ? what[i] : "valuable", len - 1);
		}
		/* the node itself, reached with no check on the way through a Docker Engine API that asks
		 * for no client certificate (docker_api.c): root on the host for whoever sends the requests,
		 * no exploit needed. Through an application (Jenkins, Portainer, Traefik holding the
		 * socket) the first step is taking it over: high, as every other path */
		bool node = tm_node_kind_of(h->node) == TM_NODE_IDENTITY && tm_node_attr_str(h->node, "node_pool") &&
			    value[i] == TM_REACH_VALUE_NODE;
		em.severity = value[i] >= 90 || (node && escape && unchecked && open_api) ? TM_SEV_CRITICAL : TM_SEV_HIGH;
		/* many entry workloads of one namespace reaching the same kind of target (each compose
		 * service its own database) are one design, listed in one finding, each path with its target
		 * and why it is valuable; an escape to the node, whose action differs, stays on its own */
		const char *b = tm_node_boundary(ent);
		tm_node_kind tk = tm_node_kind_of(h->node);
		const char *to = tk == TM_NODE_DATASTORE || tk == TM_NODE_QUEUE ? "data stores and brokers"
				 : tk == TM_NODE_SECRET ? "secrets"
				 : tk == TM_NODE_IDENTITY ? "identities with dangerous grants" : NULL;
		if (!escape && b && *b && to) {
			tm_emit_fold_namespace(c, &em, tm_rules__printf(c, "lead to %s", to));
			if (strncmp(b, "compose:", 8) == 0)
				em.fold_label = tm_rules__printf(c, "compose project %s", b + 8);
			em.fold = tm_rules__printf(c, "%s|%s", b, to);
			em.fold_noun = "attack paths from the internet";
			em.fold_min = 3;
			em.fold_wide = NULL;
		}
		tm_rules__emit(c, &em);
	}
out:
	tm_free(by_key);
	tm_free(via);
	tm_free(entry);
	tm_free(value);
	tm_free(best);
	tm_free(what);
	tm_reach_free(r);
}
