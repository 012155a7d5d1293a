/*
 * parallel.c - independent tasks on the machine's cores. A pass whose items share nothing mutable
 * (each file's parse, the rules beside the blast-radius walks) hands them out one at a time from an
 * atomic counter to up to tm_jobs() threads, the caller's among them; what the items produce goes
 * where each item says, so the result never depends on the schedule. One thread when
 * TRUSTMAP_JOBS=1, when threads cannot be started, and while a test's allocator is installed
 * (failure injection counts allocations in order).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "util.h"

#define TM_JOBS_MAX 8

size_t tm_jobs(void)
{
	if (!tm_allocator_is_default())
		return 1;
	const char *env = getenv("TRUSTMAP_JOBS");
	if (env && *env) {
		char *end;
		long v = strtol(env, &end, 10);
		if (!*end && v >= 1)
			return v > TM_JOBS_MAX ? TM_JOBS_MAX : (size_t)v;
	}
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	return cpus < 1 ? 1 : cpus > TM_JOBS_MAX ? TM_JOBS_MAX : (size_t)cpus;
}

struct pool {
	size_t n;
	tm_task_fn fn;
	void *ud;
	atomic_size_t next;
};

static void *work(void *arg)
{
	struct pool *p = arg;
	for (size_t i; (i = atomic_fetch_add(&p->next, 1)) < p->n;)
		p->fn(p->ud, i);
	return NULL;
}

void tm_parallel_for(size_t n, tm_task_fn fn, void *ud)
{
	struct pool p = {n, fn, ud, 0};
	size_t jobs = tm_jobs();
	if (jobs > n)
		jobs = n;
	pthread_t th[TM_JOBS_MAX];
	size_t started = 0;
	for (; jobs > 1 && started < jobs - 1; started++)
		if (pthread_create(&th[started], NULL, work, &p))
			break; /* fewer helpers: the caller does the rest */
	work(&p);
	for (size_t t = 0; t < started; t++)
		pthread_join(th[t], NULL);
}
