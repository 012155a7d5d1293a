/*
 * mounts.c - which file of the scan a container reads: one rule for every reader of a
 * configuration file (gateway.c's hosts, compose.c's and appconfig.c's own configuration files,
 * calls.c's owners of a file).
 *
 * compose.c hands over, service by service, each bind mount (the host path as the scan names it,
 * the container path it lands at) and each container path the service's program reads: named on
 * its command line or entrypoint (`-config.file=/etc/loki/loki.yaml`, `-c /etc/app`), or its
 * image's documented default (nginx's /etc/nginx/nginx.conf and conf.d, Prometheus'
 * /etc/prometheus/prometheus.yml: the PRODUCTS table). A path read is a file, or every file under
 * it when it is a directory (the scan cannot tell the two apart, and a directory named on a command
 * line is read whole: Traefik's --providers.file.directory).
 *
 * The rule: a service reads a host file when
 *   - it bind-mounts that file itself (an explicit mount: the file is meant for it), or
 *   - it bind-mounts a directory above it at a place where the file lands on a path its program
 *     reads, or that the file's product reads by default (an nginx configuration landing in
 *     /etc/nginx/conf.d, whatever image the service runs).
 * A file some service mounts itself is that service's: a directory mount of the same file by
 * another service does not add a reader (a stack's ./config directory mounted whole into five
 * services for their own files is no reason to think each runs the nginx.conf beside them).
 * A directory mount whose container path no program reads makes no reader at all.
 *
 * Bounds: mounts and paths read are indexed by host path and by (service, container path) in
 * hash maps; a lookup walks one path's '/' cuts, each cut a map lookup and the chain of services
 * mounting that directory: linear in the path's length and the mounts of it.
 */
#include <stdio.h>
#include <strings.h>

#include "ingest.h"

struct mount {
	tm_node *w;
	const char *host;   /* normalised, as the scan's paths */
	const char *target; /* container path, no trailing '/', no mode */
	tm_loc at;
	struct mount *next; /* the next mount of the same host path */
};

struct read_path {
	const char *why; /* "its command line", "the image's default" */
	tm_loc at;
};

struct tm_mount_set {
	tm_arena *a;
	tm_hmap by_host;   /* host path -> chain of struct mount */
	tm_hmap by_target; /* service pointer bytes + container path -> struct mount (the first) */
	tm_hmap reads;     /* service pointer bytes + container path -> struct read_path */
	tm_hmap tails;     /* every '/'-suffix of the walk's files and directories -> struct tail */
	bool tails_built;
	bool oom;
};

/* The walk's files and directories one suffix of a path is the end of (tm_ingest__mount_tail). */
struct tail {
	const char *path; /* the first, its length plen */
	size_t plen, n;
	const char *more[3]; /* the next ones (n - 1 of them, at most 3 kept) */
	size_t mlen[3];
};

/* Products whose images read a configuration where they were built to, unasked: the last word of
 * the image's repository ("grafana/loki" -> loki), the product's name (as gateway.c names its
 * configuration types), and the container paths read (a directory: every file under it). */
static const struct product {
	const char *name, *repos;
	const char *paths[4]; /* NULL-terminated */
} PRODUCTS[] = {
	{"nginx", "nginx nginx-unprivileged openresty",
	 {"/etc/nginx/nginx.conf", "/etc/nginx/conf.d", "/usr/local/openresty/nginx/conf/nginx.conf", NULL}},
	{"envoy", "envoy envoy-alpine", {"/etc/envoy/envoy.yaml", NULL}},
	{"caddy", "caddy", {"/etc/caddy/Caddyfile", NULL}},
	{"prometheus", "prometheus", {"/etc/prometheus/prometheus.yml", NULL}},
	{"alertmanager", "alertmanager", {"/etc/alertmanager/alertmanager.yml", NULL}},
	{"loki", "loki", {"/etc/loki/local-config.yaml", NULL}},
	{"promtail", "promtail", {"/etc/promtail/config.yml", NULL}},
	{"grafana", "grafana grafana-oss grafana-enterprise", {"/etc/grafana/provisioning", NULL}},
	{"mosquitto", "eclipse-mosquitto mosquitto", {"/mosquitto/config/mosquitto.conf", NULL}},
	{"node-red", "node-red", {"/data/settings.js", NULL}},
	{"zigbee2mqtt", "zigbee2mqtt", {"/app/data/configuration.yaml", NULL}},
	{"coturn", "coturn", {"/etc/coturn/turnserver.conf", "/etc/turnserver.conf", NULL}},
	{"synapse", "synapse", {"/data/homeserver.yaml", NULL}},
};

/* The product an image is (its repository's last word, tag and digest left out), or NULL. */
static const struct product *product_of_image(const char *image)
{
	size_t n = strcspn(image, "@"), slash = 0;
	for (size_t i = 0; i < n; i++)
		if (image[i] == '/')
			slash = i + 1;
	const char *b = image + slash;
	const char *colon = memchr(b, ':', n - slash);
	size_t bl = colon ? (size_t)(colon - b) : n - slash;
	for (size_t p = 0; bl && p < TM_ARRAY_LEN(PRODUCTS); p++)
		for (const char *w = PRODUCTS[p].repos; *w;) {
			size_t wl = strcspn(w, " ");
			if (wl == bl && strncasecmp(w, b, bl) == 0)
				return &PRODUCTS[p];
			w += wl + (w[wl] == ' ');
		}
	return NULL;
}

static const struct product *product_named(const char *name)
{
	for (size_t p = 0; name && p < TM_ARRAY_LEN(PRODUCTS); p++)
		if (strcmp(PRODUCTS[p].name, name) == 0)
			return &PRODUCTS[p];
	return NULL;
}

/* Is container path c (length cl) one path, or under a directory, of the product's? */
static bool product_reads(const struct product *pr, const char *c, size_t cl)
{
	for (size_t i = 0; pr && i < TM_ARRAY_LEN(pr->paths) && pr->paths[i]; i++) {
		size_t l = strlen(pr->paths[i]);
		if (cl >= l && strncmp(c, pr->paths[i], l) == 0 && (cl == l || c[l] == '/'))
			return true;
	}
	return false;
}

static tm_mount_set *set_of(tm_ingest_ctx *ctx)
{
	if (!ctx->mounts) {
		ctx->mounts = tm_arena_alloc(ctx->scratch, sizeof(*ctx->mounts));
		if (!ctx->mounts) {
			tm_arena_set_failed(ctx->scratch);
			return NULL;
		}
		ctx->mounts->a = ctx->scratch;
	}
	return ctx->mounts;
}

void tm_ingest__mounts_free(tm_ingest_ctx *ctx)
{
	if (!ctx->mounts)
		return;
	tm_hmap_dispose(&ctx->mounts->by_host);
	tm_hmap_dispose(&ctx->mounts->by_target);
	tm_hmap_dispose(&ctx->mounts->reads);
	tm_hmap_dispose(&ctx->mounts->tails);
	ctx->mounts = NULL;
}

/* "<w's pointer bytes><path>" with the path's trailing '/' left out, in buf: its length, 0 when it
 * does not fit. */
static size_t pkey(char *buf, size_t cap, const tm_node *w, const char *path, size_t pl)
{
	while (pl > 1 && path[pl - 1] == '/')
		pl--;
	if (sizeof(w) + pl + 1 > cap)
		return 0;
	memcpy(buf, &w, sizeof(w));
	memcpy(buf + sizeof(w), path, pl);
	buf[sizeof(w) + pl] = '\0';
	return sizeof(w) + pl;
}

/* A container path as the program sees it: absolute, its mode (":ro") and trailing '/' cut. */
static size_t container_len(const char *target)
{
	size_t n = strcspn(target, ":");
	while (n > 1 && target[n - 1] == '/')
		n--;
	return n;
}

void tm_ingest__mount_add(tm_ingest_ctx *ctx, tm_node *w, const char *host, const char *target, tm_loc at)
{
	if (!w || !host || !target || target[0] != '/')
		return;
	tm_mount_set *s = set_of(ctx);
	if (!s)
		return;
	size_t tl = container_len(target);
	char key[1200];
	size_t kl = pkey(key, sizeof(key), w, target, tl);
	if (!kl)
		return; /* a path longer than any the scan holds */
	struct mount *m = tm_arena_alloc(s->a, sizeof(*m));
	char *kept = m ? tm_arena_strndup(s->a, key, kl) : NULL;
	if (!kept || !(m->host = tm_arena_strdup(s->a, host)) || !(m->target = tm_arena_strndup(s->a, target, tl))) {
		tm_arena_set_failed(s->a);
		return;
	}
	m->w = w;
	m->at = at;
	m->at.path = at.path ? tm_arena_strdup(s->a, at.path) : NULL;
	m->next = tm_hmap_get(&s->by_host, m->host, strlen(m->host));
	/* the first mount at a target is the one kept: compose refuses two at one path */
	if (tm_hmap_put(&s->by_host, m->host, strlen(m->host), m) ||
	    (!tm_hmap_get(&s->by_target, kept, kl) && tm_hmap_put(&s->by_target, kept, kl, m)))
		tm_arena_set_failed(s->a);
}

void tm_ingest__mount_read(tm_ingest_ctx *ctx, tm_node *w, const char *path, size_t len, const char *why, tm_loc at)
{
	if (!w || !path || len < 2 || path[0] != '/' || memchr(path, '$', len))
		return;
	tm_mount_set *s = set_of(ctx);
	char key[1200];
	size_t kl = s ? pkey(key, sizeof(key), w, path, len) : 0;
	if (!kl || tm_hmap_get(&s->reads, key, kl))
		return;
	char *kept = tm_arena_strndup(s->a, key, kl);
	struct read_path *r = kept ? tm_arena_alloc(s->a, sizeof(*r)) : NULL;
	if (!r || tm_hmap_put(&s->reads, kept, kl, r)) {
		tm_arena_set_failed(s->a);
		return;
	}
	r->why = why;
	r->at = at;
	r->at.path = at.path ? tm_arena_strdup(s->a, at.path) : NULL;
}

const char *const *tm_ingest__image_paths(const char *image)
{
	const struct product *pr = image ? product_of_image(image) : NULL;
	return pr ? pr->paths : NULL;
}

/* The path read that container path c of w is, or is under; NULL when none. */
static const struct read_path *read_of(const tm_mount_set *s, const tm_node *w, const char *c, size_t cl)
{
	char key[1200];
	for (size_t cut = cl + 1; cut-- > 1;) {
		if (cut != cl && c[cut] != '/')
			continue;
		size_t kl = pkey(key, sizeof(key), w, c, cut);
		const struct read_path *r = kl ? tm_hmap_get(&s->reads, key, kl) : NULL;
		if (r)
			return r;
	}
	return NULL;
}

const char *tm_ingest__mount_resolve(const tm_ingest_ctx *ctx, const tm_node *w, const char *path, size_t len,
				     char *buf, size_t cap, tm_loc *at)
{
	const tm_mount_set *s = ctx->mounts;
	char key[1200];
	while (len > 1 && path[len - 1] == '/')
		len--;
	for (size_t cut = len + 1; s && cut-- > 1;) {
		if (cut != len && path[cut] != '/')
			continue;
		size_t kl = pkey(key, sizeof(key), w, path, cut);
		const struct mount *m = kl ? tm_hmap_get(&s->by_target, key, kl) : NULL;
		if (!m)
			continue;
		/* the project's own directory ("" as the scan names it) holds "a/b", not "/a/b" */
		const char *rest = path + cut + (!*m->host && cut < len);
		int n = tm_formatf(buf, cap, "%s%.*s", m->host, (int)(path + len - rest), rest);
		if (n < 0 || (size_t)n >= cap)
			return NULL;
		if (at)
			*at = m->at;
		return buf;
	}
	return NULL;
}

/* Does w run an image of no product the table knows (a custom image, or none named)? */
static bool custom_image(const tm_node *w)
{
	const tm_attr *img = tm_node_attr_get(w, "images");
	for (uint32_t i = 0; img && img->type == TM_ATTR_LIST && i < img->list_len; i++)
		if (img->list[i] && product_of_image(img->list[i]))
			return false;
	return true;
}

size_t tm_ingest__mount_readers(const tm_ingest_ctx *ctx, const char *host, const char *product,
				void (*fn)(void *ud, const tm_mount_reader *r), void *ud)
{
	const tm_mount_set *s = ctx->mounts;
	size_t n = s && host ? strlen(host) : 0;
	if (!n)
		return 0;
	size_t found = 0;
	/* the file mounted itself: that service's, whoever else mounts a directory above it */
	const struct product *pr = product_named(product);
	for (const struct mount *m = tm_hmap_get(&s->by_host, host, n); m; m = m->next) {
		const struct read_path *rp = read_of(s, m->w, m->target, strlen(m->target));
		tm_mount_reader r = {m->w, m->at, m->target, rp ? rp->why : "it mounts the file itself", true, NULL};
		fn(ud, &r);
		found++;
	}
	if (found)
		return found;
	char c[1200];
	/* each directory above it, the project's own ("") last; then, for a gateway's file no one
	 * reads so, the services whose image is of no product known here (a custom image: what it
	 * reads is in its code, and the directory is mounted for it) */
	for (int pass = 0; pass < (product ? 2 : 1) && !found; pass++)
		for (size_t cut = n + 1; cut-- > 0;) {
			if (cut == n || (cut && host[cut] != '/'))
				continue;
			for (const struct mount *m = tm_hmap_get(&s->by_host, host, cut); m; m = m->next) {
				const char *rest = host + cut + (cut == 0); /* the project's own: "a/b" */
				int cl = tm_formatf(c, sizeof(c), "%s/%s", strcmp(m->target, "/") == 0 ? "" : m->target,
						    rest + (*rest == '/'));
				if (cl < 0 || (size_t)cl >= sizeof(c))
					continue;
				const char *why = NULL;
				if (pass == 0) {
					const struct read_path *rp = read_of(s, m->w, c, (size_t)cl);
					why = rp ? rp->why : product_reads(pr, c, (size_t)cl) ? "the product's default path" : NULL;
				} else if (custom_image(m->w)) {
					why = "its image is of no product known to read elsewhere";
				}
				if (!why)
					continue;
				tm_mount_reader r = {m->w, m->at, c, why, false, NULL};
				fn(ud, &r);
				found++;
			}
		}
	return found;
}

const char *tm_ingest__mount_read_why(const tm_ingest_ctx *ctx, const tm_node *w, const char *path, size_t len)
{
	const tm_mount_set *s = ctx->mounts;
	const struct read_path *r = s ? read_of(s, w, path, len) : NULL;
	return r ? r->why : NULL;
}

/* Is container path t a place for configuration: under /etc, or a part of it naming
 * configuration (`/config`, `/app/conf`, `/opt/app/settings`)? */
static bool config_place(const char *t)
{
	if (strncmp(t, "/etc/", 5) == 0 || strcmp(t, "/etc") == 0)
		return true;
	for (const char *p = t; *p; p++)
		if ((p == t || p[-1] == '/') &&
		    (strncasecmp(p, "conf", 4) == 0 || strncasecmp(p, "settings", 8) == 0 ||
		     strncasecmp(p, ".config", 7) == 0))
			return true;
	return false;
}

/* Is host[0..cut), which m mounts, its service's build context (`build: ./web`, relative to the
 * compose file that mounts it)? */
static bool build_context(const struct mount *m, const char *host, size_t cut)
{
	const char *build = tm_node_attr_str(m->w, "build");
	if (!build || !*build || strstr(build, "://"))
		return false;
	const char *slash = m->at.path ? strrchr(m->at.path, '/') : NULL;
	char dir[1024], full[1024];
	tm_formatf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - m->at.path) : 0, m->at.path ? m->at.path : "");
	const char *p = tm_ingest__path_join(dir, build, full, sizeof(full));
	size_t pl = p ? strlen(p) : 0;
	while (pl > 1 && p[pl - 1] == '/')
		pl--;
	return p && pl == cut && strncmp(p, host, cut) == 0;
}

size_t tm_ingest__mount_holders(const tm_ingest_ctx *ctx, const char *host,
				void (*fn)(void *ud, const tm_mount_reader *r), void *ud)
{
	const tm_mount_set *s = ctx->mounts;
	size_t n = s && host ? strlen(host) : 0;
	if (!n)
		return 0;
	size_t found = 0;
	for (const struct mount *m = tm_hmap_get(&s->by_host, host, n); m; m = m->next) {
		tm_mount_reader r = {m->w, m->at, m->target, "it mounts the file itself", true, NULL};
		fn(ud, &r);
		found++;
	}
	char c[1200];
	/* the deepest directory above it any service mounts at a place for configuration, or where
	 * the file lands on a path its program reads; the project's own (cut 0) is no one's */
	for (size_t cut = n; !found && cut-- > 1;) {
		if (host[cut] != '/')
			continue;
		for (const struct mount *m = tm_hmap_get(&s->by_host, host, cut); m; m = m->next) {
			/* a service's own source tree, mounted for development: its files are the code's */
			if (build_context(m, host, cut))
				continue;
			int cl = tm_formatf(c, sizeof(c), "%s/%s", strcmp(m->target, "/") == 0 ? "" : m->target, host + cut + 1);
			if (cl < 0 || (size_t)cl >= sizeof(c))
				continue;
			const struct read_path *rp = read_of(s, m->w, c, (size_t)cl);
			if (!rp && !config_place(m->target))
				continue; /* content served or kept there (a docs site's pages, data) */
			tm_mount_reader r = {m->w, m->at, c, rp ? rp->why : "it mounts the directory holding it", false,
					     host + cut + 1};
			fn(ud, &r);
			found++;
		}
	}
	return found;
}

/* ---- absolute host paths ------------------------------------------------------------------- */

#define TAIL_PARTS_MAX 16 /* the last parts of a path indexed: no checkout sits deeper than that */

/* Index p[0..len) under each of its last TAIL_PARTS_MAX '/'-suffixes. */
static void tail_add(tm_mount_set *s, const char *p, size_t len)
{
	size_t parts = 0;
	for (size_t i = len; i-- > 0 && parts < TAIL_PARTS_MAX;) {
		if (i && p[i - 1] != '/')
			continue;
		parts++;
		struct tail *t = tm_hmap_get(&s->tails, p + i, len - i);
		if (t && t->plen == len && memcmp(t->path, p, len) == 0)
			continue;
		if (t) {
			if (t->n - 1 < TM_ARRAY_LEN(t->more)) {
				t->more[t->n - 1] = p;
				t->mlen[t->n - 1] = len;
			}
			t->n++;
			continue;
		}
		t = tm_arena_alloc(s->a, sizeof(*t));
		if (!t || tm_hmap_put(&s->tails, p + i, len - i, t)) {
			s->oom = true;
			return;
		}
		memset(t, 0, sizeof(*t));
		t->path = p;
		t->plen = len;
		t->n = 1;
	}
}

/* The tails index of the walk's files and of the directories holding them (each directory once). */
static void tails_build(tm_ingest_ctx *ctx, tm_mount_set *s)
{
	s->tails_built = true;
	tm_hmap dirs = TM_HMAP_INIT;
	for (size_t i = 0; i < ctx->ntree && !s->oom; i++) {
		const char *p = ctx->tree[i];
		size_t len = p ? strlen(p) : 0;
		if (!len)
			continue;
		tail_add(s, p, len);
		for (size_t j = len; j-- > 1;) {
			if (p[j] != '/')
				continue;
			if (tm_hmap_get(&dirs, p, j))
				break; /* this directory, and those above it, are in already */
			if (tm_hmap_put(&dirs, p, j, (void *)p)) {
				s->oom = true;
				break;
			}
			tail_add(s, p, j);
		}
	}
	tm_hmap_dispose(&dirs);
	if (s->oom)
		tm_arena_set_failed(s->a);
}

const char *tm_ingest__mount_tail(tm_ingest_ctx *ctx, const char *host, const char *dir, tm_mount_tail *out)
{
	memset(out, 0, sizeof(*out));
	if (!host || !ctx->ntree || !tm_escape_data_dir(host) || strstr(host, "/./") || strstr(host, "/../"))
		return NULL;
	tm_mount_set *s = set_of(ctx);
	if (!s)
		return NULL;
	if (!s->tails_built)
		tails_build(ctx, s);
	/* its parts: past "~/" or "/", the trailing '/' cut */
	const char *p = host + (host[0] == '~' ? 1 : 0);
	p += strspn(p, "/");
	size_t len = strlen(p);
	while (len && p[len - 1] == '/')
		len--;
	size_t dl = dir ? strlen(dir) : 0;
	char full[1200];
	size_t parts = len != 0;
	for (size_t i = 0; i < len; i++)
		parts += p[i] == '/';
	/* the longest end first */
	for (size_t i = 0; i < len; i++) {
		if (i && p[i - 1] != '/')
			continue;
		if (i)
			parts--;
		if (parts > TAIL_PARTS_MAX)
			continue;
		const struct tail *t = tm_hmap_get(&s->tails, p + i, len - i);
		if (!t)
			continue;
		/* the same end under the compose file's own directory: that one */
		int fl = tm_formatf(full, sizeof(full), "%.*s%s%.*s", (int)dl, dir ? dir : "", dl ? "/" : "", (int)(len - i), p + i);
		const struct tail *own = fl > 0 && (size_t)fl < sizeof(full) ? tm_hmap_get(&s->tails, full, (size_t)fl) : NULL;
		bool own_fits = own && own->plen == (size_t)fl && memcmp(own->path, full, (size_t)fl) == 0;
		out->parts = parts;
		if (own_fits || (t->n == 1 && parts >= 2)) {
			const struct tail *w = own_fits ? own : t;
			out->path = tm_arena_strndup(s->a, w->path, w->plen);
			return out->path;
		}
		out->ncands = t->n;
		out->cands[0] = tm_arena_strndup(s->a, t->path, t->plen);
		for (size_t k = 0; k + 1 < t->n && k < TM_ARRAY_LEN(t->more); k++)
			out->cands[k + 1] = tm_arena_strndup(s->a, t->more[k], t->mlen[k]);
		if (t->n == 1)
			out->ncands = 0; /* one part alone, outside the project's directory: too little to go by */
		return NULL;
	}
	return NULL;
}
