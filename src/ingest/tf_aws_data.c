/*
 * tf_aws_data.c - what AWS IAM policies let a role do to the data the scan holds: DynamoDB tables,
 * S3 buckets, SQS queues, SNS topics and Secrets Manager secrets (terraform.c makes their nodes and
 * reads the policies; this file joins the two once every resource has been read, since a policy may
 * come before the table it names).
 *
 *   an Allow statement's Action on a Resource  -> an edge from the role to each store it names:
 *       reads   (dynamodb:GetItem, Query, Scan...; s3:GetObject, List...; sqs:ReceiveMessage;
 *                sns:Subscribe; secretsmanager:GetSecretValue: the secret's value)
 *       writes  (Put, Update, Delete, BatchWrite...; s3:PutObject, DeleteObject; sqs:SendMessage;
 *                sns:Publish; "<service>:*" and "*": everything, reads included)
 *     with `via` "IAM policy: <the actions>", at the Resource entry (or the policy when its text is a
 *     JSON string). A Resource is an ARN (arn:aws:dynamodb:...:table/NAME/index/...,
 *     arn:aws:s3:::BUCKET/..., arn:aws:sqs:...:NAME, arn:aws:secretsmanager:...:secret:NAME-AbCdEf),
 *     what a reference to the resource evaluates to (its name: "orders/index/..."), or a pattern
 *     with * and ? matched against the stores of the action's service ("*": every one).
 *   AWS's managed policies by ARN: AmazonDynamoDBFullAccess, AmazonS3FullAccess, AmazonSQSFullAccess,
 *     AmazonSNSFullAccess, SecretsManagerReadWrite (writes, or reads of the secrets' values) and the
 *     ReadOnlyAccess ones (reads) -> edges to every store of the service.
 *
 * Statements with NotAction or NotResource, a Deny, and a Condition are not weighed: a Deny is not
 * subtracted (the edge stands, as an over-approximation the `via` text states by listing the
 * actions), NotAction/NotResource grant nothing here. A pattern's edges are capped at
 * TM_TF_GRANT_FANOUT stores, said in a note; everything else is one hash lookup per Resource entry,
 * so the join is linear in the statements and the stores.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <strings.h>

#include "terraform.h"

#define TM_TF_GRANT_FANOUT 256

enum svc { SVC_DYNAMODB, SVC_S3, SVC_SQS, SVC_SNS, SVC_SECRETS, SVC__COUNT };

static const struct {
	const char *prefix;   /* the action's service prefix */
	const char *arn;      /* the ARN's service part */
	tm_node_kind kind;    /* what the scan models it as */
	const char *reads;    /* "|"-separated action name prefixes that read (the rest write) */
	const char *skip;     /* action prefixes that touch neither the data nor its values */
} SVCS[SVC__COUNT] = {
	[SVC_DYNAMODB] = {"dynamodb", "dynamodb", TM_NODE_DATASTORE,
			  "Get|BatchGet|Query|Scan|ConditionCheck|PartiQLSelect|Export", "Describe|List|Tag|Untag"},
	[SVC_S3] = {"s3", "s3", TM_NODE_DATASTORE, "Get|List", "Create|Tag|Untag"},
	[SVC_SQS] = {"sqs", "sqs", TM_NODE_QUEUE, "Receive", "Get|List|Tag|Untag"},
	[SVC_SNS] = {"sns", "sns", TM_NODE_QUEUE, "Subscribe", "Get|List|Tag|Untag|Confirm"},
	[SVC_SECRETS] = {"secretsmanager", "secretsmanager", TM_NODE_SECRET, "GetSecretValue|BatchGetSecretValue",
			 "Describe|List|Get|Tag|Untag|Validate"},
};

/* AWS's managed policies that give one service whole: the ARN's last part. */
static const struct {
	const char *name;
	enum svc svc;
	bool write;
} MANAGED[] = {
	{"AmazonDynamoDBFullAccess", SVC_DYNAMODB, true},  {"AmazonDynamoDBReadOnlyAccess", SVC_DYNAMODB, false},
	{"AmazonS3FullAccess", SVC_S3, true},              {"AmazonS3ReadOnlyAccess", SVC_S3, false},
	{"AmazonSQSFullAccess", SVC_SQS, true},            {"AmazonSQSReadOnlyAccess", SVC_SQS, false},
	{"AmazonSNSFullAccess", SVC_SNS, true},            {"AmazonSNSReadOnlyAccess", SVC_SNS, false},
	{"SecretsManagerReadWrite", SVC_SECRETS, false},
};

struct store {
	tm_node *n;
	const char *name;
	struct store *next; /* the service's stores, in the order met */
};

struct grant {
	tm_node *role;
	const tm_value *st; /* the statement, or NULL for a managed policy */
	const tm_file *f;
	bool located;
	tm_loc loc;
	int managed; /* MANAGED index + 1 */
};

struct tm_tf_grants {
	tm_ingest_ctx *ctx;
	tm_arena *a;
	tm_hmap by_name[SVC__COUNT]; /* name -> struct store* */
	struct store *head[SVC__COUNT], *tail[SVC__COUNT];
	size_t nstores[SVC__COUNT];
	struct grant *grants;
	size_t n, cap;
};

tm_tf_grants *tm_tf__grants_new(tm_ingest_ctx *ctx, tm_arena *a)
{
	tm_tf_grants *g = tm_calloc(1, sizeof(*g));
	if (g) {
		g->ctx = ctx;
		g->a = a;
	}
	return g;
}

void tm_tf__grants_free(tm_tf_grants *g)
{
	if (!g)
		return;
	for (int s = 0; s < SVC__COUNT; s++)
		tm_hmap_dispose(&g->by_name[s]);
	tm_free(g->grants);
	tm_free(g);
}

static int svc_of_type(const char *type)
{
	static const struct {
		const char *type;
		enum svc svc;
	} types[] = {{"aws_dynamodb_table", SVC_DYNAMODB}, {"aws_s3_bucket", SVC_S3}, {"aws_sqs_queue", SVC_SQS},
		     {"aws_sns_topic", SVC_SNS}, {"aws_secretsmanager_secret", SVC_SECRETS}};
	for (size_t i = 0; type && i < TM_ARRAY_LEN(types); i++)
		if (strcmp(types[i].type, type) == 0)
			return (int)types[i].svc;
	return -1;
}

void tm_tf__grants_store(tm_tf_grants *g, const char *type, const char *name, tm_node *n)
{
	int s = svc_of_type(type);
	if (!g || s < 0 || !name || !n || tm_hmap_get(&g->by_name[s], name, strlen(name)))
		return;
	struct store *st = tm_arena_alloc(g->a, sizeof(*st));
	if (!st || tm_hmap_put(&g->by_name[s], name, strlen(name), st)) {
		tm_arena_set_failed(g->ctx->scratch);
		return;
	}
	*st = (struct store){n, name, NULL};
	if (g->tail[s])
		g->tail[s]->next = st;
	else
		g->head[s] = st;
	g->tail[s] = st;
	g->nstores[s]++;
}

static void add(tm_tf_grants *g, struct grant gr)
{
	if (TM_GROW(g->grants, g->cap, g->n + 1)) {
		tm_arena_set_failed(g->ctx->scratch);
		return;
	}
	g->grants[g->n++] = gr;
}

void tm_tf__grants_statement(tm_tf_grants *g, tm_node *role, const tm_value *st, const tm_file *f, bool located,
			     tm_loc loc)
{
	if (g && role && st)
		add(g, (struct grant){role, st, f, located, loc, 0});
}

bool tm_tf__grants_managed(tm_tf_grants *g, tm_node *role, const char *arn, tm_loc loc)
{
	const char *last = arn ? strrchr(arn, '/') : NULL;
	for (size_t i = 0; last && i < TM_ARRAY_LEN(MANAGED); i++)
		if (strcmp(last + 1, MANAGED[i].name) == 0) {
			if (g && role)
				add(g, (struct grant){role, NULL, NULL, false, loc, (int)i + 1});
			return true;
		}
	return false;
}

/* Does the action name (after "service:") start with one of the "|"-separated prefixes? */
static bool starts_with_one(const char *action, const char *prefixes)
{
	for (const char *p = prefixes; *p;) {
		size_t n = strcspn(p, "|");
		if (strncasecmp(action, p, n) == 0)
			return true;
		p += n + (p[n] == '|');
	}
	return false;
}

/* What one action does to a service's stores: 0 nothing, 1 reads, 2 writes (and reads). */
static int action_effect(const char *action, int *svc)
{
	if (strcmp(action, "*") == 0) {
		*svc = -1; /* every service */
		return 2;
	}
	const char *colon = strchr(action, ':');
	if (!colon)
		return 0;
	for (int s = 0; s < SVC__COUNT; s++) {
		size_t pl = strlen(SVCS[s].prefix);
		if ((size_t)(colon - action) != pl || strncasecmp(action, SVCS[s].prefix, pl) != 0)
			continue;
		*svc = s;
		const char *verb = colon + 1;
		if (strchr(verb, '*') && strspn(verb, "*") != strlen(verb)) {
			/* Get*, Put*: the verbs the pattern reaches; a read pattern reads */
			size_t stem = strcspn(verb, "*?");
			char buf[64];
			tm_formatf(buf, sizeof(buf), "%.*s", (int)stem, verb);
			return stem && starts_with_one(buf, SVCS[s].reads) ? 1 : stem && starts_with_one(buf, SVCS[s].skip) ? 0 : 2;
		}
		if (*verb == '*')
			return 2;
		if (starts_with_one(verb, SVCS[s].reads))
			return 1;
		return starts_with_one(verb, SVCS[s].skip) ? 0 : 2;
	}
	return 0;
}

/* The store name a Resource entry names for service s, into buf: from an ARN, or the name a
 * reference evaluated to ("orders/index/..." -> "orders"). NULL when it names none of s's. */
static const char *resource_name(const char *res, int s, char *buf, size_t size)
{
	const char *rest = res;
	if (strncmp(res, "arn:", 4) == 0) {
		/* arn:partition:service:region:account:resource */
		const char *p = res + 4;
		const char *f[4];
		for (int i = 0; i < 4; i++) {
			p = strchr(p, ':');
			if (!p)
				return NULL;
			f[i] = ++p;
		}
		size_t sl = (size_t)(f[1] - f[0]) - 1;
		if (sl != strlen(SVCS[s].arn) || strncmp(f[0], SVCS[s].arn, sl) != 0)
			return NULL;
		rest = f[3];
		if (s == SVC_DYNAMODB) {
			if (strncmp(rest, "table/", 6) != 0)
				return NULL;
			rest += 6;
		} else if (s == SVC_SECRETS) {
			if (strncmp(rest, "secret:", 7) != 0)
				return NULL;
			rest += 7;
		}
	}
	/* a table's index or stream, a bucket's keys: the store; queue, topic and secret names are whole */
	size_t n = s == SVC_DYNAMODB || s == SVC_S3 ? strcspn(rest, "/") : strlen(rest);
	if (!n || n >= size)
		return NULL;
	memcpy(buf, rest, n);
	buf[n] = '\0';
	return buf;
}

static void edge(tm_tf_grants *g, const struct grant *gr, tm_node *to, int effect, const char *via, tm_loc at)
{
	tm_edge_kind k = effect == 2 && tm_node_kind_of(to) != TM_NODE_SECRET ? TM_EDGE_WRITES : TM_EDGE_READS;
	tm_edge *e = tm_mb_edge(g->ctx->mb, gr->role, to, k, at);
	if (e && via)
		tm_mb_edge_str(g->ctx->mb, e, "via", via);
	if (e && tm_node_kind_of(to) == TM_NODE_SECRET) /* as RBAC's readers of a Secret */
		tm_mb_node_fact(g->ctx->mb, to, "readers", tm_node_id(gr->role), at);
}

/* Every store of service s whose name the pattern matches, capped (said once per grant). */
static void each_match(tm_tf_grants *g, const struct grant *gr, int s, const char *pat, int effect, const char *via,
		       tm_loc at, bool *capped)
{
	size_t made = 0;
	for (const struct store *st = g->head[s]; st; st = st->next) {
		if (fnmatch(pat, st->name, 0) != 0)
			continue;
		if (made++ == TM_TF_GRANT_FANOUT) {
			*capped = true;
			break;
		}
		edge(g, gr, st->n, effect, via, at);
	}
}

static void resolve(tm_tf_grants *g, const struct grant *gr, int s, int effect, const char *res, const char *via,
		    tm_loc at, bool *capped)
{
	char name[256];
	if (strcmp(res, "*") == 0) {
		each_match(g, gr, s, "*", effect, via, at, capped);
		return;
	}
	const char *nm = resource_name(res, s, name, sizeof(name));
	if (!nm)
		return;
	const struct store *st = tm_hmap_get(&g->by_name[s], nm, strlen(nm));
	if (st) {
		edge(g, gr, st->n, effect, via, at);
		return;
	}
	if (s == SVC_SECRETS) {
		/* Secrets Manager adds "-" and six characters to the name in the ARN */
		size_t l = strlen(nm);
		if (l > 7 && nm[l - 7] == '-') {
			name[l - 7] = '\0';
			st = tm_hmap_get(&g->by_name[s], name, l - 7);
			if (st) {
				edge(g, gr, st->n, effect, via, at);
				return;
			}
			name[l - 7] = '-';
		}
		if (l && nm[l - 1] == '*' && l < sizeof(name) - 1) { /* NAME-* : NAME too */
			char trimmed[256];
			tm_formatf(trimmed, sizeof(trimmed), "%.*s", (int)(l > 1 && nm[l - 2] == '-' ? l - 2 : l - 1), nm);
			st = tm_hmap_get(&g->by_name[s], trimmed, strlen(trimmed));
			if (st) {
				edge(g, gr, st->n, effect, via, at);
				return;
			}
		}
	}
	if (strpbrk(nm, "*?["))
		each_match(g, gr, s, nm, effect, via, at, capped);
}

static size_t strs(const tm_value *v)
{
	return tm_value_kind_of(v) == TM_VALUE_SEQ ? tm_value_len(v) : tm_value_kind_of(v) == TM_VALUE_SCALAR ? 1 : 0;
}

static const tm_value *str_at(const tm_value *v, size_t i)
{
	return tm_value_kind_of(v) == TM_VALUE_SEQ ? tm_seq_at(v, i) : v;
}

static void statement(tm_tf_grants *g, const struct grant *gr)
{
	const tm_value *st = gr->st;
	const char *effect = tm_map_get_str(st, "Effect");
	if ((effect && strcmp(effect, "Allow") != 0) || tm_map_get(st, "NotAction") || tm_map_get(st, "NotResource"))
		return;
	const tm_value *acts = tm_map_get(st, "Action"), *res = tm_map_get(st, "Resource");
	/* per service: the strongest effect of its actions, and the actions named */
	int eff[SVC__COUNT] = {0};
	tm_strbuf via[SVC__COUNT];
	for (int s = 0; s < SVC__COUNT; s++)
		via[s] = (tm_strbuf)TM_STRBUF_INIT;
	for (size_t i = 0; i < strs(acts); i++) {
		const char *a = tm_scalar_str(str_at(acts, i), NULL);
		int s = 0;
		int e = a ? action_effect(a, &s) : 0;
		for (int k = 0; e && k < SVC__COUNT; k++) {
			if (s >= 0 && k != s)
				continue;
			if (e > eff[k])
				eff[k] = e;
			if (via[k].len < 160)
				tm_strbuf_printf(&via[k], "%s%s", via[k].len ? ", " : "IAM policy: ", a);
			else if (via[k].data && via[k].data[via[k].len - 1] != '.')
				tm_strbuf_printf(&via[k], ", ...");
		}
	}
	bool capped = false;
	for (int s = 0; s < SVC__COUNT; s++) {
		for (size_t i = 0; eff[s] && i < strs(res); i++) {
			const tm_value *rv = str_at(res, i);
			const char *r = tm_scalar_str(rv, NULL);
			if (r && !tm_tf__is_unknown(rv))
				resolve(g, gr, s, eff[s], r, via[s].oom ? NULL : via[s].data,
					gr->located ? tm_ingest__loc(gr->f, rv) : gr->loc, &capped);
		}
		tm_strbuf_dispose(&via[s]);
	}
	if (capped)
		tm_diag_add(g->ctx->diags, 0, TM_LEVEL_NOTE, gr->loc,
			    "a statement of the policy of %s names more than %d stores by a pattern: the first %d are "
			    "modelled",
			    tm_node_id(gr->role), TM_TF_GRANT_FANOUT, TM_TF_GRANT_FANOUT);
}

void tm_tf__grants_finish(tm_tf_grants *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->n; i++) {
		const struct grant *gr = &g->grants[i];
		if (gr->st) {
			statement(g, gr);
			continue;
		}
		int m = gr->managed - 1;
		bool capped = false;
		const char *via = tm_arena_printf(g->a, "AWS managed policy %s", MANAGED[m].name);
		each_match(g, gr, MANAGED[m].svc, "*", MANAGED[m].write ? 2 : 1, via, gr->loc, &capped);
		if (capped)
			tm_diag_add(g->ctx->diags, 0, TM_LEVEL_NOTE, gr->loc,
				    "%s gives %s every %s the scan holds; the first %d are modelled", MANAGED[m].name,
				    tm_node_id(gr->role), SVCS[MANAGED[m].svc].prefix, TM_TF_GRANT_FANOUT);
	}
}
