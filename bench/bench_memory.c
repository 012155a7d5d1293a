/*
 * bench_memory.c - how fast this machine hands a process new memory: the speed of the first write
 * to each page of a fresh anonymous mapping, with 4 KiB pages and with transparent huge pages, and
 * again for 4 KiB pages the process has just unmapped.
 *   build/bench/bench_memory [MB]     (default 256)
 *
 * On a virtual machine whose host takes back the guest's free memory (free page reporting, memory
 * ballooning), a page the guest has not touched lately is backed by the host at its first write:
 * ten to a hundred times slower than a page the kernel has just freed. A large scan or diff touches
 * most of its peak memory once, so this speed, not the CPU's, can decide its time; bench/estate.sh
 * prints it beside its results so that runs on different machines (or hours) can be compared.
 * Speed targets live in bench/, not in timed tests (docs/performance.md).
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, madvise */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "bench_clock.h"

#define PAGE 4096u
#define HUGE (2u * 1024u * 1024u)

struct run {
	unsigned char *map;
	size_t span;
	double mb_s;
};

/* Write one byte to every page of a fresh mapping of size bytes (huge: marked for transparent huge
 * pages, at a huge-page boundary) and keep it mapped, so that the next run is handed other memory;
 * mb_s is 0 when the kernel refuses the mapping. */
static struct run touch(size_t size, int huge)
{
	struct run r = {NULL, size + (huge ? HUGE : 0), 0};
	double t = bench_now();
	r.map = mmap(NULL, r.span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r.map == MAP_FAILED) {
		r.map = NULL;
		return r;
	}
	volatile unsigned char *p = r.map;
	if (huge) {
		uintptr_t at = ((uintptr_t)r.map + HUGE - 1) & ~(uintptr_t)(HUGE - 1);
		p = (volatile unsigned char *)at;
		(void)madvise((void *)p, size, MADV_HUGEPAGE);
	}
	for (size_t off = 0; off < size; off += PAGE)
		p[off] = 1;
	double secs = bench_now() - t;
	r.mb_s = secs > 0 ? (double)size / 1048576.0 / secs : 0;
	return r;
}

static void drop(struct run *r)
{
	if (r->map)
		munmap(r->map, r->span);
	r->map = NULL;
}

int main(int argc, char **argv)
{
	long mb = argc > 1 ? strtol(argv[1], NULL, 10) : 256;
	if (argc > 2 || mb < 1 || mb > 65536) {
		fprintf(stderr, "usage: bench_memory [MB]   (1 to 65536; default 256)\n");
		return 2;
	}
	size_t size = (size_t)mb * 1048576u;
	/* each run keeps its memory until the end, so the first two are handed memory nobody freed
	 * just before; the third takes the pages the first gave back */
	struct run fresh = touch(size, 0), huge = touch(size, 1);
	drop(&fresh);
	struct run again = touch(size, 0);
	printf("first write to new memory (%ld MB): 4 KiB pages %.0f MB/s, "
	       "transparent huge pages %.0f MB/s, 4 KiB pages just freed %.0f MB/s\n",
	       mb, fresh.mb_s, huge.mb_s, again.mb_s);
	drop(&huge);
	drop(&again);
	return fresh.mb_s > 0 && again.mb_s > 0 ? 0 : 1;
}
