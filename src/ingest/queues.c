/*
 * queues.c - task queues: the broker that delivers work to a worker started to consume it.
 *
 * A task queue's worker runs what its producers enqueue: Airflow's scheduler and web UI queue task
 * instances that its Celery workers run, n8n's main process in queue mode hands executions to
 * `n8n worker`, a Rails app's jobs run in Sidekiq. The producers' connection to the broker is a
 * `calls` edge already (calls.c: the broker URL of their environment); what no file says as a call
 * is the other direction, the broker handing the work over. Here it is a `subscribes` edge from the
 * worker to the workload its broker setting names, as an AsyncAPI consumer subscribes to its
 * channel, and the broker's node lists it in `delivers_to`: analyze/reach.c walks from a broker to
 * the workers it delivers to ("delivers work to"), so whoever reaches the broker (a published web
 * UI that triggers work, a producer taken over, the broker itself published) reaches the workers
 * and what they reach.
 *
 * A worker is known by its command line (tm_ingest__task_worker: `celery ... worker`, `airflow
 * celery worker`, `n8n worker`, `rq worker`, `sidekiq`, `dramatiq`, `huey_consumer`, `manage.py
 * rqworker`, or `worker` alone handed to an image's entrypoint or a start script), kept as its
 * `task_worker` fact with the line. Its broker: the workloads its environment calls through a
 * setting named for one (`*BROKER*`, `*QUEUE*`, `*AMQP*`, `*RABBIT*`, `SIDEKIQ_*`, `RQ_*`:
 * CELERY_BROKER_URL, AIRFLOW__CELERY__BROKER_URL, n8n's QUEUE_BULL_REDIS_HOST), and when it has none, the Redis or
 * RabbitMQ it calls (Sidekiq's and RQ's REDIS_URL, Superset's REDIS_HOST), except through a setting
 * for a result backend, a cache, sessions or locks. A known product's worker whose broker is no
 * workload of the scan is said in a note at its command line (`worker` alone, whose image's
 * entrypoint the files do not show, may be something else: no note).
 *
 * The assumption, stated on the worker: it runs whatever any producer enqueues (Celery, RQ and
 * Sidekiq take any task the broker holds; which tasks a producer may queue is in code, not in the
 * files).
 *
 * Bounds: 256 words of a command line read; tm_ingest__task_queues is one pass over the calls edges
 * (those from workers kept), a sort of what was kept and one pass over the nodes: n log n in the
 * calls of workers, linear in the rest. Edges are per worker and broker: never all pairs of the
 * services sharing a broker.
 */
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "ingest.h"

#define WORDS_MAX 256 /* words of one command line read */

/* A worker's label (its fact's value) for a program that needs a `worker` subcommand. */
static const char *sub_worker(const char *prog, bool airflow_celery)
{
	if (strcmp(prog, "airflow") == 0)
		return airflow_celery ? "airflow celery worker" : "airflow worker";
	if (strcmp(prog, "celery") == 0)
		return "celery worker";
	if (strcmp(prog, "n8n") == 0)
		return "n8n worker";
	return "rq worker";
}

/* A program that is a worker by itself: its label, else NULL. */
static const char *worker_program(const char *base, size_t n)
{
	static const char *const progs[] = {"sidekiq", "sidekiqswarm", "rqworker", "dramatiq", "huey_consumer",
					    "huey_consumer.py"};
	for (size_t i = 0; i < TM_ARRAY_LEN(progs); i++)
		if (strlen(progs[i]) == n && strncmp(base, progs[i], n) == 0)
			return progs[i][0] == 'h' ? "huey_consumer" : progs[i];
	return NULL;
}

/* `worker` alone, handed to an image's entrypoint: its product's by the image. */
static const char *entrypoint_worker(const char *image)
{
	if (image && strstr(image, "n8n"))
		return "n8n worker";
	if (image && strstr(image, "airflow"))
		return "airflow worker";
	return "worker";
}

static bool word_is(const char *w, size_t n, const char *s)
{
	return strlen(s) == n && strncmp(w, s, n) == 0;
}

/* A start script that hands its argument on to the program (`docker-bootstrap.sh`, `entrypoint`,
 * `start.sh`): its name ends in ".sh" or says entrypoint, bootstrap or start. */
static bool start_script(const char *base, size_t n)
{
	char b[64];
	if (n >= sizeof(b))
		return false;
	memcpy(b, base, n);
	b[n] = '\0';
	return (n > 3 && strcmp(b + n - 3, ".sh") == 0) || strstr(b, "entrypoint") || strstr(b, "bootstrap") ||
	       strncmp(b, "start", 5) == 0;
}

struct words {
	const char *prog; /* the program of the simple command read (celery, airflow, n8n, rq), or NULL */
	bool airflow_celery;
	size_t count;     /* words read in all */
	size_t cmd_first; /* the index (count) of the first word of the command part, SIZE_MAX: none yet */
	size_t script;    /* the index of a start script opening the line or its command part, or SIZE_MAX */
};

/* One word w[0..n) of a command line (quotes and a trailing ';' taken off by the caller): the worker
 * it decides, or NULL. */
static const char *word(struct words *st, const char *w, size_t n, const char *image)
{
	const char *slash = NULL;
	for (size_t i = 0; i < n; i++)
		if (w[i] == '/')
			slash = w + i;
	const char *base = slash ? slash + 1 : w;
	size_t bn = n - (size_t)(base - w);
	size_t at = st->count++;
	const char *self = worker_program(base, bn);
	if (self)
		return self;
	if (word_is(base, bn, "worker") || word_is(base, bn, "worker-pool")) {
		if (st->prog)
			return sub_worker(st->prog, st->airflow_celery);
		/* the first word of the line, or of its command part, is the entrypoint's argument; so is
		 * the word after a start script (`/app/docker/docker-bootstrap.sh worker`) */
		if (at == 0 || at == st->cmd_first || (at == st->script + 1 && st->script != SIZE_MAX))
			return entrypoint_worker(image);
		return NULL;
	}
	if ((at == 0 || at == st->cmd_first) && start_script(base, bn))
		st->script = at;
	if (word_is(base, bn, "celery") && st->prog && strcmp(st->prog, "airflow") == 0)
		st->airflow_celery = true;
	else if (word_is(base, bn, "celery") || word_is(base, bn, "airflow") || word_is(base, bn, "n8n") ||
		 word_is(base, bn, "rq"))
		st->prog = word_is(base, bn, "celery") ? "celery" : word_is(base, bn, "airflow") ? "airflow"
							: word_is(base, bn, "n8n")     ? "n8n"
											: "rq";
	return NULL;
}

/* The end of a simple command (`;`, `&&`, `||`, `|`, `&`): the next one starts afresh. */
static void command_end(struct words *st)
{
	st->prog = NULL;
	st->airflow_celery = false;
}

const char *tm_ingest__task_worker(const char *const *items, size_t n, size_t first_cmd, const char *image,
				   size_t *at_item)
{
	struct words st = {NULL, false, 0, SIZE_MAX, SIZE_MAX};
	for (size_t i = 0; i < n && st.count < WORDS_MAX; i++) {
		const char *s = items[i];
		if (i == first_cmd)
			st.cmd_first = st.count;
		while (s && *s && st.count < WORDS_MAX) {
			s += strspn(s, " \t\r\n");
			size_t len = strcspn(s, " \t\r\n;&|");
			const char *w = s;
			s += len;
			/* quotes and a subshell's parentheses around a word: `sh -c "celery worker"` */
			while (len && strchr("\"'`(", w[0])) {
				w++;
				len--;
			}
			while (len && strchr("\"'`)", w[len - 1]))
				len--;
			if (len) {
				const char *label = word(&st, w, len, image);
				if (label) {
					if (at_item)
						*at_item = i;
					return label;
				}
			}
			if (*s && strchr(";&|", *s)) {
				s += strspn(s, ";&|");
				command_end(&st);
			}
		}
		/* a list's items are one command line: a `sh -c` item's own words end their command */
		if (items[i] && strpbrk(items[i], " \t"))
			command_end(&st);
	}
	return NULL;
}

/* ---- the broker's hop to its workers ---------------------------------------------------------- */

/* Does a setting's name say it names a broker (CELERY_BROKER_URL, QUEUE_BULL_REDIS_HOST, RQ_REDIS_URL),
 * not a result backend? */
static bool broker_setting(const char *name)
{
	static const char *const words[] = {"BROKER", "QUEUE", "AMQP", "RABBIT", "SIDEKIQ"};
	if (tm_strcasecontains(name, "RESULT") || tm_strcasecontains(name, "BACKEND"))
		return false;
	for (size_t i = 0; i < TM_ARRAY_LEN(words); i++)
		if (tm_strcasecontains(name, words[i]))
			return true;
	return strncasecmp(name, "RQ_", 3) == 0;
}

/* A setting that names a store for something else than the queue: a result backend, a cache,
 * sessions, locks. */
static bool other_use(const char *name)
{
	static const char *const words[] = {"RESULT", "BACKEND", "CACHE", "SESSION", "LOCK"};
	for (size_t i = 0; i < TM_ARRAY_LEN(words); i++)
		if (tm_strcasecontains(name, words[i]))
			return true;
	return false;
}

/* Does workload n run a store a task queue's broker is (Redis, RabbitMQ: stores.c)? */
static bool runs_broker_store(tm_ingest_ctx *ctx, const tm_node *n)
{
	const char *runs = tm_node_attr_str(n, "runs_store");
	const tm_node *st = runs ? tm_mb_find(ctx->mb, runs) : NULL;
	const char *store = st ? tm_node_attr_str(st, "store") : NULL;
	return store && (strcmp(store, "redis") == 0 || strcmp(store, "rabbitmq") == 0);
}

struct cand {
	tm_edge *call;   /* the worker's calls edge to a broker */
	const char *id;  /* the worker's id, to group by */
	size_t order;    /* the edge's place: groups keep the model's order */
	bool named;      /* through a setting named for a broker */
};

static int cand_cmp(const void *pa, const void *pb)
{
	const struct cand *a = pa, *b = pb;
	int c = strcmp(a->id, b->id);
	if (c)
		return c;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* The worker fact's place on n (its command line), {0} when none. */
static tm_loc worker_loc(const tm_node *n)
{
	for (size_t i = 0; i < n->facts.count; i++)
		if (strcmp(n->facts.items[i].key, "task_worker") == 0)
			return n->facts.items[i].loc;
	return (tm_loc){0};
}

/* The worker n is started as (its task_worker fact), or NULL. */
static const char *worker_label(const tm_node *n)
{
	const tm_attr *a = tm_node_attr_get(n, "task_worker");
	return a && a->type == TM_ATTR_LIST && a->list_len ? a->list[0] : NULL;
}

/* Is label a product's worker (not `worker` alone, whose image's entrypoint the files do not show)? */
static bool known_worker(const char *label)
{
	return strcmp(label, "worker") != 0;
}

/* Is setting name one through which candidate c names its broker? */
static bool takes(const struct cand *c, const char *name)
{
	return c->named ? broker_setting(name) : !other_use(name);
}

#define ASSUMED_RUNS                                                                                       \
	"a task worker runs whatever any producer enqueues on its broker (%s): whoever can write to the broker " \
	"chooses the work it runs"

/* The subscribes edge of one worker's call to its broker: evidence at the worker's broker settings
 * (the call's lines) and its command line; the settings that name the broker. */
static void link(tm_ingest_ctx *ctx, const struct cand *c, const char *label, tm_loc cmd)
{
	tm_edge *call = c->call;
	tm_node *w = call->from, *broker = call->to;
	const tm_attr *env = tm_edge_attr_get(call, "env");
	size_t nenv = env && env->type == TM_ATTR_LIST ? env->list_len : 0;
	/* one evidence per setting read (compose.c, k8s_calls.c add both at once): the settings' own
	 * lines, when the counts say they pair; else every line of the call */
	bool paired = nenv == call->evidence.count;
	tm_edge *e = NULL;
	for (size_t i = 0; i < call->evidence.count; i++) {
		if (paired && !takes(c, env->list[i]))
			continue;
		e = tm_mb_edge(ctx->mb, w, broker, TM_EDGE_SUBSCRIBES, call->evidence.items[i]);
	}
	if (!e)
		return;
	for (size_t i = 0; i < nenv; i++)
		if (takes(c, env->list[i]))
			tm_mb_edge_list_add(ctx->mb, e, "settings", env->list[i]);
	if (cmd.path)
		tm_mb_edge(ctx->mb, w, broker, TM_EDGE_SUBSCRIBES, cmd);
	tm_mb_edge_str(ctx->mb, e, "task_worker", label);
	tm_mb_node_list_add(ctx->mb, broker, "delivers_to", w->id);
	char buf[512];
	tm_formatf(buf, sizeof(buf), ASSUMED_RUNS, broker->id);
	tm_mb_node_assume(ctx->mb, w, buf);
}

/* One worker's calls (c[0..n), sorted): the named brokers', else the Redis and RabbitMQ it calls.
 * Returns whether one was linked. */
static bool link_worker(tm_ingest_ctx *ctx, const struct cand *c, size_t n)
{
	tm_node *w = c[0].call->from;
	const char *label = worker_label(w);
	bool named = false;
	for (size_t i = 0; i < n; i++)
		named = named || c[i].named;
	tm_loc cmd = worker_loc(w);
	bool linked = false;
	for (size_t i = 0; i < n; i++) {
		if (c[i].named != named)
			continue;
		link(ctx, &c[i], label, cmd);
		linked = true;
	}
	return linked;
}

void tm_ingest__task_queues(tm_ingest_ctx *ctx)
{
	const tm_model *m = tm_mb_model(ctx->mb);
	size_t nedges = m->nedges, ncand = 0, cap = 0;
	struct cand *cands = NULL;
	bool any_worker = false;
	for (size_t i = 0; i < m->nnodes && !any_worker; i++)
		any_worker = tm_node_attr_get(m->nodes[i], "task_worker") != NULL;
	if (!any_worker)
		return;
	for (size_t i = 0; i < nedges; i++) {
		tm_edge *e = m->edges[i];
		if (e->kind != TM_EDGE_CALLS || !tm_node_attr_get(e->from, "task_worker"))
			continue;
		const tm_attr *env = tm_edge_attr_get(e, "env");
		bool named = false, store = false;
		for (size_t k = 0; env && env->type == TM_ATTR_LIST && k < env->list_len; k++) {
			named = named || broker_setting(env->list[k]);
			store = store || !other_use(env->list[k]);
		}
		if (!named && !(store && runs_broker_store(ctx, e->to)))
			continue;
		if (TM_GROW(cands, cap, ncand + 1)) {
			tm_arena_set_failed(ctx->scratch);
			tm_free(cands);
			return;
		}
		cands[ncand++] = (struct cand){e, e->from->id, i, named};
	}
	if (ncand)
		qsort(cands, ncand, sizeof(*cands), cand_cmp);
	tm_pset linked = TM_PSET_INIT;
	for (size_t i = 0; i < ncand;) {
		size_t j = i + 1;
		while (j < ncand && cands[j].call->from == cands[i].call->from)
			j++;
		if (link_worker(ctx, cands + i, j - i) && tm_pset_add(&linked, cands[i].call->from) < 0)
			tm_arena_set_failed(ctx->scratch);
		i = j;
	}
	tm_free(cands);
	/* a known worker whose broker the scan does not hold: said, not guessed */
	for (size_t i = 0; i < m->nnodes; i++) {
		const tm_node *n = m->nodes[i];
		const char *label = worker_label(n);
		if (!label || !known_worker(label) || tm_pset_has(&linked, n))
			continue;
		tm_diag_add(ctx->diags, 0, TM_LEVEL_NOTE, worker_loc(n),
			    "%s is started as a task worker (%s) and names no broker the scan holds (a broker URL, "
			    "QUEUE_BULL_REDIS_HOST, a Redis or RabbitMQ it calls): who enqueues the work it runs is not "
			    "modelled",
			    n->id, label);
	}
	tm_pset_dispose(&linked);
}
