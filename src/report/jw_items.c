/*
 * jw_items.c - the items of a long JSON array or object written on every core.
 *
 * A report of thousands of services is hundreds of megabytes of escaped text, written after the
 * analysis when the other cores have nothing left to do. The items of one array are cut into runs;
 * each run is written by whichever thread claims it into a buffer of its own, by a JSON writer
 * set at the array's depth, and the runs are appended to the report in order as they complete.
 * At most WINDOW runs are claimed beyond the last one appended, so the memory held is a few runs,
 * not the report; a run the calling thread takes when every run before it is out is written
 * straight to the report (and its items' own long arrays on every core in turn). The bytes are those of writing the items one after another: a run starts as if
 * nothing preceded it in the array (no comma), and gets its comma when appended after an item
 * that wrote something.
 */
#include <pthread.h>
#include <stdint.h>

#include "report.h"

#define WINDOW 16
#define RUN_ITEMS_MAX 512
#define KEEP_BYTES (4u << 20) /* a slot keeps its buffer for the next run up to this size */
#define HELD_BYTES (16u << 20) /* past this much written and not yet appended, only the next run */

/* This thread is writing a run: the items' own arrays are written one after another. */
static _Thread_local bool in_run;

enum { RUN_FREE, RUN_BUSY, RUN_DONE };

struct run {
	tm_out out;
	bool wrote; /* some item wrote something */
	int state;
};

struct items {
	int depth; /* the array's (w's own changes while the calling thread writes a run straight) */
	size_t n, per, nruns;
	void (*item)(tm_jw *w, size_t i, void *ud);
	void *ud;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t next;    /* the next run to claim */
	size_t emitted; /* runs appended to w's output */
	size_t held;    /* bytes of runs written, not yet appended */
	struct run slot[WINDOW];
};

/* Run k's items through w. */
static void run_items(const struct items *p, size_t k, tm_jw *w)
{
	size_t end = (k + 1) * p->per < p->n ? (k + 1) * p->per : p->n;
	for (size_t i = k * p->per; i < end; i++)
		p->item(w, i, p->ud);
}

static void write_run(struct items *p, size_t k)
{
	struct run *r = &p->slot[k % WINDOW];
	tm_jw jw; /* the slot's buffer is kept from its last run: grown once, not for every run */
	tm_jw_init(&jw, &r->out);
	jw.depth = p->depth;
	jw.first[jw.depth] = true;
	in_run = true;
	run_items(p, k, &jw);
	in_run = false;
	r->wrote = !jw.first[jw.depth];
}

/* The next run, when the window has room for it and what is held waiting is not much (a few huge
 * items, a fold of thousands, would otherwise wait whole in memory); SIZE_MAX otherwise. Under
 * the lock. */
static size_t claim(struct items *p)
{
	if (p->next >= p->nruns || p->next >= p->emitted + WINDOW || (p->held > HELD_BYTES && p->next != p->emitted))
		return SIZE_MAX;
	p->slot[p->next % WINDOW].state = RUN_BUSY;
	return p->next++;
}

/* Write the run claimed, then say it is done. Called under the lock, returns under it. */
static void write_claimed(struct items *p, size_t k)
{
	pthread_mutex_unlock(&p->mu);
	write_run(p, k);
	pthread_mutex_lock(&p->mu);
	p->slot[k % WINDOW].state = RUN_DONE;
	p->held += p->slot[k % WINDOW].out.buf.len;
	pthread_cond_broadcast(&p->cv);
}

static void *helper(void *arg)
{
	struct items *p = arg;
	pthread_mutex_lock(&p->mu);
	while (p->next < p->nruns) {
		size_t k = claim(p);
		if (k == SIZE_MAX)
			pthread_cond_wait(&p->cv, &p->mu); /* the window is full: wait for an append */
		else
			write_claimed(p, k);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* Append a finished run to w's output, with the comma owed to an earlier item. */
static void append(tm_jw *w, struct run *r)
{
	if (r->wrote) {
		if (!w->first[w->depth])
			tm_out_put(w->o, ",", 1);
		tm_out_append(w->o, &r->out);
		w->first[w->depth] = false;
	} else if (r->out.buf.oom && !w->o->err) {
		w->o->err = TM_ENOMEM;
	}
	if (r->out.buf.oom || r->out.buf.cap > KEEP_BYTES)
		tm_strbuf_dispose(&r->out.buf); /* a run of a few huge items: not held to the end */
	tm_strbuf_reset(&r->out.buf);
}

void tm_jw_items(tm_jw *w, size_t n, void (*item)(tm_jw *w, size_t i, void *ud), void *ud)
{
	size_t jobs = tm_jobs();
	if (jobs < 2 || n < TM_JW_ITEMS_PAR || in_run || w->after_key) {
		for (size_t i = 0; i < n; i++)
			item(w, i, ud);
		return;
	}
	struct items p;
	memset(&p, 0, sizeof(p));
	p.depth = w->depth;
	p.n = n;
	p.item = item;
	p.ud = ud;
	/* runs small enough that a few long items do not leave one core the rest */
	p.per = n / (jobs * 16);
	p.per = p.per < 1 ? 1 : p.per > RUN_ITEMS_MAX ? RUN_ITEMS_MAX : p.per;
	p.nruns = (n + p.per - 1) / p.per;
	for (size_t i = 0; i < WINDOW; i++)
		tm_out_init(&p.slot[i].out, NULL);
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	pthread_t th[8];
	size_t started = 0;
	for (; started + 1 < jobs && started < TM_ARRAY_LEN(th); started++)
		if (pthread_create(&th[started], NULL, helper, &p))
			break; /* fewer helpers: this thread writes the rest */
	pthread_mutex_lock(&p.mu);
	while (p.emitted < p.nruns) {
		struct run *r = &p.slot[p.emitted % WINDOW];
		size_t k;
		if (r->state == RUN_DONE) {
			size_t held = r->out.buf.len;
			pthread_mutex_unlock(&p.mu);
			append(w, r);
			pthread_mutex_lock(&p.mu);
			r->state = RUN_FREE;
			p.held -= held;
			p.emitted++;
			pthread_cond_broadcast(&p.cv); /* the window moved on */
		} else if ((k = claim(&p)) != SIZE_MAX && k == p.emitted) {
			/* every run before it is out: straight to the report, without a buffer, and its
			 * items' own long arrays on every core in turn */
			pthread_mutex_unlock(&p.mu);
			run_items(&p, k, w);
			pthread_mutex_lock(&p.mu);
			p.slot[k % WINDOW].state = RUN_FREE;
			p.emitted++;
			pthread_cond_broadcast(&p.cv);
		} else if (k != SIZE_MAX) {
			write_claimed(&p, k);
		} else {
			pthread_cond_wait(&p.cv, &p.mu);
		}
	}
	pthread_mutex_unlock(&p.mu);
	for (size_t t = 0; t < started; t++)
		pthread_join(th[t], NULL);
	for (size_t i = 0; i < WINDOW; i++)
		tm_strbuf_dispose(&p.slot[i].out.buf);
	pthread_cond_destroy(&p.cv);
	pthread_mutex_destroy(&p.mu);
}
