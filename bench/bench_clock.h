/*
 * bench_clock.h - the monotonic clock the bench programs time themselves with.
 */
#ifndef TM_BENCH_CLOCK_H
#define TM_BENCH_CLOCK_H

#include <time.h>

/* Seconds on the monotonic clock. */
static inline double bench_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
