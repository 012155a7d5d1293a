/*
 * serve/guard.h - every open connection of `trustmap serve`, with absolute deadlines and the limits
 * that keep room for new clients (internal).
 *
 * A connection has a deadline from the moment it was accepted (or its previous request ended), not
 * an idle timeout: a client that sends one byte a second is never idle, yet must not hold a slot
 * for longer than a request takes. Limits are on *pending* connections (request not fully
 * received): a new connection always gets in, and the oldest pending one of the busiest address
 * makes room. Everything here runs on serve's one event-loop thread, as do MHD's callbacks: no
 * locks.
 */
#ifndef TM_SERVE_GUARD_H
#define TM_SERVE_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define TM_GUARD_HEADER_MS 5000    /* accepted -> request line and headers complete */
#define TM_GUARD_REQUEST_MS 15000  /* accepted -> body complete (a form is at most 16 KiB) */
#define TM_GUARD_EXCHANGE_MS 60000 /* accepted -> response sent */
#define TM_GUARD_PENDING_PER_IP 16 /* pending connections one address may hold */
#define TM_GUARD_PENDING_MAX 64    /* pending connections in all */
#define TM_GUARD_URI_MAX 2048      /* longer request targets are refused (414) */

typedef enum {
	TM_CONN_HEADERS,  /* waiting for the request line and headers, or idle between requests */
	TM_CONN_BODY,     /* headers read, the body is arriving */
	TM_CONN_RESPONSE, /* the request is in, the response is going out */
} tm_conn_stage;

typedef struct tm_conn {
	struct tm_conn *prev, *next;
	int fd;
	unsigned char ip[16];
	size_t ip_len;
	int64_t since; /* ms (monotonic): accepted, or the previous request on it finished */
	tm_conn_stage stage;
	bool cut; /* shut down by the guard; MHD closes it when it next looks */
	/* The raw request target of the current request, as sent (before MHD decodes it). */
	char uri[TM_GUARD_URI_MAX + 1];
	size_t uri_len;
	bool uri_long;
} tm_conn;

typedef struct {
	tm_conn *head;
	size_t count;
} tm_conns;

/* Milliseconds on the monotonic clock. */
int64_t tm_serve__now_ms(void);
/* A newly accepted connection (fd, peer address): tracked, and limits applied (the oldest pending
 * connection of the busiest address may be cut to make room). NULL when out of memory (the caller
 * refuses the connection). Freed by tm_serve__conn_close. */
tm_conn *tm_serve__conn_open(tm_conns *t, int fd, const struct sockaddr *peer, int64_t now);
void tm_serve__conn_close(tm_conns *t, tm_conn *c);
/* Cut every connection past its stage's deadline. */
void tm_serve__conns_sweep(tm_conns *t, int64_t now);
/* The current request ended: the connection waits for the next one, with a fresh deadline. */
void tm_serve__conn_next(tm_conn *c, int64_t now);

#endif
