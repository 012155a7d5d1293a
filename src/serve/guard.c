/*
 * guard.c - deadlines and limits for serve's connections (see guard.h for the policy).
 *
 * Cutting a connection is shutdown(2) on its socket, never close(2): MHD owns the descriptor, sees
 * end-of-file or a failed write on its next look, and closes and forgets the connection itself (its
 * NOTIFY_CONNECTION callback then frees our record). The descriptor cannot be reused under us:
 * MHD's callbacks and the sweep run on the one thread, and the record is gone before the sweep runs
 * again.
 */
#include <netinet/in.h>
#include <string.h>
#include <time.h>

#include "guard.h"
#include "util/util.h"

int64_t tm_serve__now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void cut(tm_conn *c)
{
	if (!c->cut) {
		shutdown(c->fd, SHUT_RDWR);
		c->cut = true;
	}
}

static bool pending(const tm_conn *c)
{
	return !c->cut && c->stage != TM_CONN_RESPONSE;
}

static bool same_ip(const tm_conn *a, const tm_conn *b)
{
	return a->ip_len == b->ip_len && memcmp(a->ip, b->ip, a->ip_len) == 0;
}

static size_t pending_from(const tm_conns *t, const tm_conn *like)
{
	size_t n = 0;
	for (const tm_conn *c = t->head; c; c = c->next)
		n += pending(c) && same_ip(c, like);
	return n;
}

/* The oldest pending connection from the address of like (any address when like is NULL), other
 * than spare. */
static tm_conn *oldest_pending(const tm_conns *t, const tm_conn *like, const tm_conn *spare)
{
	tm_conn *best = NULL;
	for (tm_conn *c = t->head; c; c = c->next)
		if (c != spare && pending(c) && (!like || same_ip(c, like)) &&
		    (!best || c->since < best->since))
			best = c;
	return best;
}

/* Make room after fresh arrived: first within its own address, then in all (taking from the
 * address that holds the most pending connections, so one client's flood costs only itself). */
static void admit(tm_conns *t, tm_conn *fresh)
{
	tm_conn *victim;
	while (pending_from(t, fresh) > TM_GUARD_PENDING_PER_IP &&
	       (victim = oldest_pending(t, fresh, fresh)))
		cut(victim);
	size_t total = 0;
	for (const tm_conn *c = t->head; c; c = c->next)
		total += pending(c);
	while (total > TM_GUARD_PENDING_MAX) {
		const tm_conn *busiest = NULL;
		size_t most = 0;
		for (const tm_conn *c = t->head; c; c = c->next) {
			size_t n = pending(c) ? pending_from(t, c) : 0;
			if (n > most)
				most = n, busiest = c;
		}
		if (!busiest || !(victim = oldest_pending(t, busiest, fresh)))
			break;
		cut(victim);
		total--;
	}
}

tm_conn *tm_serve__conn_open(tm_conns *t, int fd, const struct sockaddr *peer, int64_t now)
{
	tm_conn *c = tm_calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->fd = fd;
	c->since = now;
	c->stage = TM_CONN_HEADERS;
	if (peer && peer->sa_family == AF_INET) {
		const struct sockaddr_in *v4 = (const struct sockaddr_in *)peer;
		memcpy(c->ip, &v4->sin_addr, 4);
		c->ip_len = 4;
	} else if (peer && peer->sa_family == AF_INET6) {
		const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)peer;
		memcpy(c->ip, &v6->sin6_addr, 16);
		c->ip_len = 16;
	}
	c->next = t->head;
	if (t->head)
		t->head->prev = c;
	t->head = c;
	t->count++;
	admit(t, c);
	return c;
}

void tm_serve__conn_close(tm_conns *t, tm_conn *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else
		t->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	t->count--;
	tm_free(c);
}

void tm_serve__conns_sweep(tm_conns *t, int64_t now)
{
	static const int64_t limit[] = {[TM_CONN_HEADERS] = TM_GUARD_HEADER_MS,
	                                [TM_CONN_BODY] = TM_GUARD_REQUEST_MS,
	                                [TM_CONN_RESPONSE] = TM_GUARD_EXCHANGE_MS};
	for (tm_conn *c = t->head; c; c = c->next)
		if (now - c->since > limit[c->stage])
			cut(c);
}

void tm_serve__conn_next(tm_conn *c, int64_t now)
{
	c->since = now;
	c->stage = TM_CONN_HEADERS;
	c->uri_len = 0;
	c->uri_long = false;
	c->uri[0] = '\0';
}
