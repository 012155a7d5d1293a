/*
 * secrets.c - Secrets as nodes: values committed in manifests and in applications' configuration
 * files, secrets handed to a process through its environment, and identities that can read secrets
 * their workloads do not use.
 *
 * The facts come from ingest/k8s_secrets.c: `committed_value` and `keys` on a secret node, `used_by`
 * (workloads taking it), `token_of` (a service-account token Secret), `secret_env` on a workload,
 * and `reads` edges identity -> secret from RBAC grants. Every check is one pass over the nodes and
 * their own edges.
 */
#include <ctype.h>
#include <stdio.h>
#include <strings.h>

#include "rules.h"

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Keys whose value is public by design (certificates, public keys) or names a thing rather than
 * proving who one is (a user name, a host, a port): a Secret holds them beside its credential. */
static bool not_secret_key(const char *key)
{
	static const char *const names[] = {"username", "user", "login", "host", "hostname", "port", "database",
					    "dbname", "db", "namespace", "region", "endpoint", "cacrt",
					    /* an OAuth client's identifier is public: the secret is its client-secret */
					    "clientid", "oauthclientid", "oidcclientid", "appid", "applicationid",
					    /* what an Argo CD repository or cluster Secret says besides its
					     * credentials (a URL with a password still counts: carries_password) */
					    "name", "type", "project", "url", "server", "insecure", "enableoci", "enablelfs"};
	if (ends_with(key, ".crt") || ends_with(key, ".pub") || ends_with(key, ".cert"))
		return true;
	char norm[32];
	size_t n = 0;
	for (const char *p = key; *p; p++) {
		if (*p == '_' || *p == '-' || *p == '.')
			continue;
		if (n + 1 >= sizeof(norm))
			return false;
		norm[n++] = (char)tolower((unsigned char)*p);
	}
	norm[n] = '\0';
	for (size_t i = 0; i < TM_ARRAY_LEN(names); i++)
		if (strcmp(norm, names[i]) == 0)
			return true;
	/* POSTGRES_DB, MYSQL_DATABASE, DB_HOST, REDIS_PORT: a name, not a proof */
	static const char *const endings[] = {"user", "username", "db", "database", "dbname", "host", "hostname", "port"};
	for (size_t i = 0; i < TM_ARRAY_LEN(endings); i++)
		if (ends_with(norm, endings[i]))
			return true;
	return false;
}

void tm_rule__sec_committed_value(tm_rule_ctx *c)
{
	TM_EACH_OF_KIND(c->m, s, TM_NODE_SECRET) {
		const char *const *l = tm_rules__list(s, "committed_value");
		const char *const *carries = tm_rules__list(s, "carries_password");
		for (size_t k = 0; l && l[k]; k++) {
			bool proves = false; /* a value carrying a password proves whatever its key names */
			for (size_t j = 0; carries && carries[j] && !proves; j++)
				proves = strcmp(carries[j], l[k]) == 0;
			if (not_secret_key(l[k]) && !proves)
				continue;
			tm_emit e;
			tm_emit_init(&e, s);
			e.nevidence = 0;
			tm_loc at = tm_rules__fact_loc(s, "committed_value", l[k]);
			tm_emit_loc(&e, at);
			e.key = l[k];
			/* a development, test or sample manifest (docs/samples/, overlays/dev/): medium */
			bool dev = at.path && tm_dev_or_test_path(at.path);
			if (dev)
				e.severity = TM_SEV_MEDIUM;
			const char *type = tm_node_attr_str(s, "secret_type");
			e.title = tm_rules__printf(c, "%s (%s): the value of key '%s' is committed%s", tm_node_id(s),
						   type ? type : "Opaque", l[k],
						   dev ? " (in a development, test or sample manifest)" : "");
			tm_emit_fold_namespace(c, &e, "have values committed in the repository");
			e.fold_noun = "secret keys";
			e.snippet = "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret   # or an ExternalSecret, or SOPS\n";
			tm_rules__emit(c, &e);
		}
	}
}

/* Credentials written in configuration files, applications' and gateways', and in committed Terraform
 * states (ingest/appconfig.c): one finding per credential, medium in a development or test
 * configuration; a directory's fold into one, and the directories' into one per rule and severity. */
void tm_rule__sec_config_credential(tm_rule_ctx *c)
{
	TM_EACH_OF_KIND(c->m, s, TM_NODE_SECRET) {
		const char *const *l = tm_rules__list(s, "config_credentials");
		const char *file = tm_node_attr_str(s, "config_file");
		if (!l || !file)
			continue;
		bool dev = tm_node_attr_str(s, "config_env") != NULL;
		const char *kind = tm_node_attr_str(s, "config_kind");
		bool state = kind && strcmp(kind, "terraform-state") == 0;
		const char *slash = strrchr(file, '/');
		const char *dir = slash ? tm_rules__printf(c, "%.*s", (int)(slash - file), file) : ".";
		for (size_t k = 0; l[k]; k++) {
			tm_emit e;
			tm_emit_init(&e, s);
			e.nevidence = 0;
			tm_emit_loc(&e, tm_rules__fact_loc(s, "config_credentials", l[k]));
			e.key = l[k];
			if (dev)
				e.severity = TM_SEV_MEDIUM;
			const char *const *by = tm_rules__list(s, "served_by");
			e.title = tm_rules__printf(c, "%s: credential %s is written in the %s%s%s%s%s", file, l[k],
						   state ? "Terraform state, committed" : "configuration file",
						   dev ? " (a development or test configuration)" : "",
						   by ? ", and served over HTTP by config server " : "", by ? by[0] : "",
						   by ? " to whoever can call it" : "");
			e.fold = tm_rules__printf(c, "config:%s", dir);
			e.fold_label = dir;
			e.fold_noun = "credentials";
			e.fold_what = "are written in configuration files, not kept in a secret store";
			e.fold_wide = "*";
			e.fold_places = "directories";
			tm_rules__emit(c, &e);
		}
	}
}

void tm_rule__sec_env_injection(tm_rule_ctx *c)
{
	TM_EACH_OF_KIND(c->m, w, TM_NODE_SERVICE) {
		const char *const *l = tm_rules__list(w, "secret_env");
		if (!l || !l[0])
			continue;
		tm_strbuf sb = TM_STRBUF_INIT;
		tm_emit e;
		tm_emit_init(&e, w);
		e.nevidence = 0;
		size_t n = 0;
		for (; l[n]; n++) {
			if (n < 4)
				tm_strbuf_printf(&sb, "%s%s", n ? ", " : "", l[n]);
			if (e.nevidence < TM_EMIT_MAX) /* the rest would be dropped: no search for them */
				tm_emit_loc(&e, tm_rules__fact_loc(w, "secret_env", l[n]));
		}
		if (n > 4)
			tm_strbuf_printf(&sb, " and %zu more", n - 4);
		if (!sb.oom) {
			e.title = tm_rules__printf(c, "%s takes secrets through its environment (%s)", tm_node_id(w), sb.data);
			tm_emit_fold_namespace(c, &e, "take secrets through their environment");
			e.snippet = "volumes:\n- name: creds\n  secret: {secretName: NAME}\ncontainers:\n- volumeMounts:\n  - {name: creds, mountPath: /var/run/secrets/app, readOnly: true}\n";
			tm_rules__emit(c, &e);
		} else {
			tm_rules__oom(c);
		}
		tm_strbuf_dispose(&sb);
	}
}

/* ---- readers ---------------------------------------------------------------------------------- */

/* Identities the platform runs itself: out of this rule's scope. */
static bool system_identity(const tm_node *id)
{
	const char *ns = tm_node_attr_str(id, "namespace");
	return strncmp(tm_node_name(id), "system:", 7) == 0 || (ns && strcmp(ns, "kube-system") == 0);
}

/* Mark (with stamp) every secret a workload running as id takes (volume or environment): the
 * workloads' own mounts edges, so the whole rule costs the identities' edges and their workloads'. */
static void mark_used(tm_rule_ctx *c, const tm_node *id, size_t *mark, size_t stamp)
{
	const tm_model *m = c->m;
	size_t cur = 0;
	for (const tm_edge *e; (e = tm_rules__in_edge(m, id, TM_EDGE_RUNS_AS, &cur));) {
		size_t nout;
		const tm_edge *const *out = tm_model__outgoing(m, tm_edge_from(e), &nout);
		for (size_t k = 0; k < nout; k++)
			if (tm_edge_kind_of(out[k]) == TM_EDGE_MOUNTS)
				mark[tm_edge_to(out[k])->index] = stamp;
		/* a Secret its command line names (`--secret-name=X`): the program reads or writes it
		 * through the API, as a certificate generator writes the webhook's */
		const char *const *named = tm_rules__list(tm_edge_from(e), "secrets_named");
		for (size_t k = 0; named && named[k]; k++) {
			const tm_node *s = tm_model_find(m, tm_rules__printf(c, "secret:k8s:%s", named[k]));
			if (s)
				mark[s->index] = stamp;
		}
	}
}

/* "ns/name (keys: a, b)" or "ns/name (token of identity:k8s:ns/sa)" */
static void describe(tm_strbuf *sb, const tm_node *s)
{
	const char *ns = tm_node_attr_str(s, "namespace");
	tm_strbuf_printf(sb, "%s%s%s", ns ? ns : "", ns ? "/" : "", tm_node_name(s));
	const char *const *tok = tm_rules__list(s, "token_of");
	const char *const *keys = tm_rules__list(s, "keys");
	if (tok && tok[0])
		tm_strbuf_printf(sb, " (token of %s)", tok[0]);
	else if (keys && keys[0]) {
		tm_strbuf_puts(sb, " (keys: ");
		for (size_t k = 0; keys[k]; k++)
			tm_strbuf_printf(sb, "%s%s", k ? ", " : "", keys[k]);
		tm_strbuf_puts(sb, ")");
	}
}

static const char *audit_user(tm_rule_ctx *c, const tm_node *id)
{
	const char *type = tm_node_attr_str(id, "identity_type");
	const char *ns = tm_node_attr_str(id, "namespace");
	if (type && strcmp(type, "kubernetes-group") == 0)
		return tm_rules__printf(c, "user.groups contains \"%s\"", tm_node_name(id));
	if (type && strcmp(type, "kubernetes-service-account") == 0 && ns)
		return tm_rules__printf(c, "user.username == \"system:serviceaccount:%s:%s\"", ns, tm_node_name(id));
	return tm_rules__printf(c, "user.username == \"%s\"", tm_node_name(id));
}

#define READERS_SHOWN 4

void tm_rule__sec_readers(tm_rule_ctx *c)
{
	const tm_model *m = c->m;
	size_t nn = tm_model_node_count(m);
	size_t *mark = NULL;
	TM_EACH_OF_KIND(m, id, TM_NODE_IDENTITY) {
		size_t i = id->index; /* its walk's mark */
		if (system_identity(id))
			continue;
		/* a cloud role reads its secrets through the provider's API, the only way its functions
		 * can: the files cannot say which it does not use (its grants are TM-ID-004's and the paths') */
		const char *itype = tm_node_attr_str(id, "identity_type");
		if (itype && (strncmp(itype, "aws-", 4) == 0 || strncmp(itype, "gcp-", 4) == 0 || strncmp(itype, "azure-", 6) == 0))
			continue;
		/* the first workload holding its token: one whose pods mount none reads nothing through it */
		size_t cur = 0;
		const tm_edge *first;
		while ((first = tm_rules__in_edge(m, id, TM_EDGE_RUNS_AS, &cur)) && tm_edge_attr_str(first, "token"))
			;
		if (!first)
			continue; /* no scanned workload runs as it with its token: TM-ID-004 says what it may do */
		if (!mark && !(mark = tm_calloc(nn + 1, sizeof(*mark)))) {
			tm_rules__oom(c);
			return;
		}
		mark_used(c, id, mark, i + 1);
		const tm_node *runner = tm_edge_from(first);
		size_t nout;
		const tm_edge *const *out = tm_model__outgoing(m, id, &nout);
		tm_strbuf sb = TM_STRBUF_INIT, names = TM_STRBUF_INIT;
		tm_emit e;
		tm_emit_init(&e, id);
		e.nevidence = 0;
		size_t n = 0;
		bool token = false;
		for (size_t k = 0; k < nout; k++) {
			const tm_node *s = tm_edge_to(out[k]);
			if (tm_edge_kind_of(out[k]) != TM_EDGE_READS || tm_node_kind_of(s) != TM_NODE_SECRET ||
			    mark[s->index] == i + 1)
				continue;
			const char *const *tok = tm_rules__list(s, "token_of");
			token = token || (tok && tok[0] && strcmp(tok[0], tm_node_id(id)) != 0);
			if (n < READERS_SHOWN) {
				if (n)
					tm_strbuf_puts(&sb, "; ");
				describe(&sb, s);
				tm_emit_path(&e, tm_node_id(s));
			}
			tm_strbuf_printf(&names, "%s\"%s\"", names.len ? ", " : "", tm_node_name(s));
			if (tm_edge_evidence_count(out[k]))
				tm_emit_loc(&e, tm_edge_evidence(out[k], 0));
			n++;
		}
		if (n && !sb.oom && !names.oom) {
			if (n > READERS_SHOWN)
				tm_strbuf_printf(&sb, "; and %zu more", n - READERS_SHOWN);
			tm_emit_loc(&e, tm_rules__manifest_loc(runner));
			e.title = tm_rules__printf(c, "%s (run by %s) can read %zu secret%s its workloads do not use: %s",
						   tm_node_id(id), tm_node_id(runner), n, n == 1 ? "" : "s", sb.data);
			e.severity = token ? TM_SEV_HIGH : -1;
			e.detect[0] = tm_rules__printf(
				c, "Kubernetes audit log: objectRef.resource == \"secrets\" and verb in (get, list, watch) and %s "
				   "and (verb != \"get\" or objectRef.name in (%s)): alert",
				audit_user(c, id), names.data);
			/* the identities of one namespace fold (each member keeps its title, naming its secrets;
			 * the folded detection names the first and says the others need the same) */
			tm_emit_fold_namespace(c, &e, "can read secrets their workloads do not use");
			e.fold_noun = "identities";
			tm_rules__emit(c, &e);
		} else if (sb.oom || names.oom) {
			tm_rules__oom(c);
		}
		tm_strbuf_dispose(&sb);
		tm_strbuf_dispose(&names);
	}
	tm_free(mark);
}

/* ---- signing secrets everyone knows: a published example's, or a placeholder deployed ---------- */

#define SIGNING_NAMED 4 /* services named in a title; the rest counted */

/* One line's value and the services taking it: compose.c's `example_signing` facts (an example
 * file's line), or `known_signing` ones (a line of a file a deployed service takes, compose's or a
 * pod's, whose value is a placeholder everyone knows). */
struct signing_group {
	const tm_fact_loc *fact;  /* the first, in the model's order */
	const tm_node *subject;   /* the first service taking it that is reachable from outside */
	const tm_node *first;     /* the first service taking it */
	const tm_node *last;      /* the last service counted (a service's facts sit together) */
	const tm_node *named[TM_EMIT_MAX];
	size_t n;
	bool known;               /* a known_signing fact: deployed as written */
	bool facing;              /* subject is reachable from outside */
};

/* "rest", "rest and db", "rest, auth, storage, meta and 3 more": the subject first */
static void service_names(tm_strbuf *sb, const struct signing_group *g)
{
	size_t shown = g->n < SIGNING_NAMED ? g->n : SIGNING_NAMED, k = 0;
	const tm_node *order[SIGNING_NAMED];
	order[k++] = g->subject;
	for (size_t i = 0; i < g->n && i < TM_EMIT_MAX && k < shown; i++)
		if (g->named[i] != g->subject)
			order[k++] = g->named[i];
	for (size_t i = 0; i < k; i++)
		tm_strbuf_printf(sb, "%s%s", i == 0 ? "" : i + 1 == k && g->n == k ? " and " : ", ", tm_node_name(order[i]));
	if (g->n > k)
		tm_strbuf_printf(sb, " and %zu more", g->n - k);
}

/* What whoever knows the value gains, by what it does ("signs ...", "encrypts ...", a token). */
static const char *signing_gain(tm_rule_ctx *c, const char *what, const char *names, size_t n)
{
	bool token = strncmp(what, "a JSON Web Token", 16) == 0;
	const char *role = token ? strstr(what, "of role ") : NULL;
	if (role)
		return tm_rules__printf(c, "anyone who copies it calls as role %.*s, as %s do%s", (int)strcspn(role + 8, ","),
					role + 8, names, n == 1 ? "es" : "");
	if (token)
		return tm_rules__printf(c, "anyone who copies it calls as %s do%s", names, n == 1 ? "es" : "");
	if (!strstr(what, "sign") && (strstr(what, "encrypts") || strstr(what, "decrypts")))
		return tm_rules__printf(c, "anyone with a copy of what %s store%s (a backup, a dump) reads it", names,
					n == 1 ? "s" : "");
	return tm_rules__printf(c, "anyone can sign what %s accept%s", names, n == 1 ? "s" : "");
}

static void signing_emit(tm_rule_ctx *c, const struct signing_group *g)
{
	const char *item = g->fact->value; /* "<VAR>: <what>" */
	const char *colon = strstr(item, ": ");
	const char *what = colon ? colon + 2 : "signs tokens";
	bool token = strncmp(what, "a JSON Web Token", 16) == 0;
	int vl = colon ? (int)(colon - item) : (int)strlen(item);
	tm_strbuf names = TM_STRBUF_INIT;
	service_names(&names, g);
	if (names.oom) {
		tm_rules__oom(c);
		tm_strbuf_dispose(&names);
		return;
	}
	tm_emit e;
	tm_emit_init(&e, g->subject);
	e.nevidence = 0;
	tm_emit_loc(&e, g->fact->loc);
	tm_emit_path(&e, tm_node_id(g->subject));
	for (size_t i = 0; i < g->n && i < TM_EMIT_MAX; i++) {
		if (g->named[i] != g->subject)
			tm_emit_path(&e, tm_node_id(g->named[i]));
		tm_emit_loc(&e, tm_rules__manifest_loc(g->named[i]));
	}
	e.key = item;
	const tm_loc *at = &g->fact->loc;
	const char *gain = signing_gain(c, what, names.data, g->n);
	if (g->known) {
		/* deployed as written: high where the service is reachable from outside, medium behind
		 * the network or in a development, test or sample file */
		bool dev = at->path && tm_dev_or_test_path(at->path);
		e.severity = g->facing && !dev ? TM_SEV_HIGH : TM_SEV_MEDIUM;
		e.title = tm_rules__printf(c, "%s: %.*s is a placeholder (%s:%u), in a file %s take%s, and %s: %s",
					   tm_node_id(g->subject), vl, item, at->path ? at->path : "?", at->line, names.data,
					   g->n == 1 ? "s" : "", what, gain);
		tm_emit_fold_namespace(c, &e, "run with signing secrets left at a placeholder");
		if (e.fold) /* apart from the examples' fold: another cause, another severity */
			e.fold = tm_rules__printf(c, "%s#known", e.fold);
		e.action = "Generate the secret (`openssl rand -base64 32`), keep it out of the repository (an uncommitted "
			   "`.env`, compose `secrets:`, a Kubernetes Secret from a secret store), rotate what was signed or "
			   "encrypted with the old value (sessions, tokens, stored records), and make the service refuse to "
			   "start without it (`${SECRET_KEY:?}`).";
	} else {
		e.title = tm_rules__printf(c, "%s: %.*s comes from the published example (%s:%u) and %s%s: if the deployment "
					      "keeps it, %s",
					   tm_node_id(g->subject), vl, item, at->path ? at->path : "?", at->line,
					   token ? "is " : "", what, gain);
		tm_emit_fold_namespace(c, &e, "are signing secrets or tokens taken from a published example");
	}
	e.fold_noun = "values";
	e.snippet = "services:\n  app:\n    environment:\n      JWT_SECRET: ${JWT_SECRET:?generate it: openssl rand -base64 32}\n";
	tm_rules__emit(c, &e);
	tm_strbuf_dispose(&names);
}

/* Add service w's fact fl to its line's group (index: "<kind>\x1f<path>\x1f<line>" -> place + 1). */
static int signing_add(tm_rule_ctx *c, tm_hmap *index, struct signing_group **groups, size_t *ng, size_t *cap,
		       const tm_node *w, const tm_fact_loc *fl, bool known, int *facing)
{
	const char *key = tm_rules__printf(c, "%c\x1f%s\x1f%u", known ? 'k' : 'e', fl->loc.path ? fl->loc.path : "",
					   fl->loc.line);
	size_t g = (size_t)(uintptr_t)tm_hmap_get(index, key, strlen(key));
	if (!g) {
		if (TM_GROW(*groups, *cap, *ng + 1) || tm_hmap_put(index, key, strlen(key), (void *)(uintptr_t)(*ng + 1)))
			return -1;
		memset(&(*groups)[*ng], 0, sizeof((*groups)[*ng]));
		(*groups)[*ng].fact = fl;
		(*groups)[*ng].known = known;
		g = ++*ng;
	}
	struct signing_group *gr = &(*groups)[g - 1];
	if (gr->last == w)
		return 0; /* the service's second variable of the same line */
	gr->last = w;
	if (!gr->first)
		gr->first = w;
	if (gr->n < TM_EMIT_MAX)
		gr->named[gr->n] = w;
	gr->n++;
	if (*facing < 0) /* once per service: its exposure does not change with the value */
		*facing = tm_rules__internet_facing(c->m, w);
	if (*facing && !gr->subject) {
		gr->subject = w;
		gr->facing = true;
	}
	return 0;
}

void tm_rule__sec_example_signing(tm_rule_ctx *c)
{
	const tm_model *m = c->m;
	tm_hmap index = TM_HMAP_INIT;
	struct signing_group *groups = NULL;
	size_t ng = 0, cap = 0;
	bool oom = false;
	TM_EACH_OF_KIND(m, w, TM_NODE_SERVICE) {
		int facing = -1;
		for (size_t f = 0; !oom && f < tm_node_fact_count(w); f++) {
			const tm_fact_loc *fl = tm_node_fact(w, f);
			bool example = strcmp(fl->key, "example_signing") == 0;
			if ((example || strcmp(fl->key, "known_signing") == 0) &&
			    signing_add(c, &index, &groups, &ng, &cap, w, fl, !example, &facing))
				oom = true;
		}
	}
	for (size_t g = 0; !oom && g < ng; g++) {
		/* an example's value counts where a service taking it is reachable from outside; a value
		 * deployed as written counts wherever it runs */
		if (!groups[g].subject && groups[g].known)
			groups[g].subject = groups[g].first;
		if (groups[g].subject)
			signing_emit(c, &groups[g]);
	}
	if (oom)
		tm_rules__oom(c);
	tm_free(groups);
	tm_hmap_dispose(&index);
}
