/*
 * cache.c - parsed files kept on disk by content, so a scan or a diff re-parses only the files that
 * changed (see trustmap/doc.h, docs/performance.md).
 *
 * An entry is one parsed file: its documents as a value tree in pre-order (an aliased value written
 * once and referred to by number afterwards, so aliases stay shared; then the parent of each one met
 * first outside its parent, so parents are the parse's too), the diagnostics the parse gave, and
 * nothing of the path it was read from (the caller's display path is put back on load).
 * Its name is a 128-bit XXH3 hash, keyed with the cache directory's own random secret (made once,
 * mode 0600), of the cache's salt (the build that wrote it), the limits and the bytes: a file parses
 * the same under the same three, and without the secret nobody can make two files share a name.
 *
 * Safe: an entry is written to a temporary file beside it and renamed into place, so readers see a
 * whole entry or none, and two runs writing the same entry write the same bytes. A load checks the
 * magic, the key, the length and a checksum of the payload and then every count and offset against
 * the bytes left, so a damaged or foreign file is a miss (and is removed), never a crash. Bounded:
 * the directory's ledger (`size`) holds what its entries take; a run that wrote adds its bytes under
 * a lock when it closes, and one that takes the ledger past the bound (or finds none, or a damaged
 * one) counts the entries and removes the least recently used until three quarters of the bound
 * remain. A hit older than a day is touched, so its time says when it was last used. A run that only
 * reads, or writes a few entries, never lists the directory. Deleting the directory at any time
 * loses nothing but time.
 */
#define _GNU_SOURCE /* dl_iterate_phdr */
#include <dirent.h>
#include <elf.h>
#include <link.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#include "parse.h"

#define MAGIC "TMPC"
#define FORMAT 7u
#define KEY 16           /* bytes of an entry's key */
#define SECRET 192       /* bytes of the directory's hash secret (XXH3 wants at least 136) */
#define HEADER (4 + 4 + KEY + 8 + 8)
/* An entry this large is mapped instead of read (fewer would cost a mapping each for nothing) */
#define MAP_MIN ((size_t)64 << 10)
#define MAX_DEPTH 4096u  /* a load refuses deeper trees (a parse never makes them: limits) */
#define REF_TAG 3u       /* a record referring to a value written before */
#define MAX_DIR 4000u    /* longest directory: "/xx/" + 30 hex digits + ".XXXXXX" fit the 4096-byte paths */

/* A file one run parses for several takers (the two sides of a diff): the first to ask loads it,
 * the others wait for it and take the same tree, with the same diagnostics. */
struct shared_file {
	tm_file *file;      /* holds a reference for the takers still to come; NULL once all took it */
	int rc;
	bool ready;
	bool private;       /* not shareable (a tree that writes into its arena when located) */
	bool gone;          /* a load without bytes found no entry: the next asker with bytes parses */
	unsigned taken;
	tm_diag_list diags; /* the parse's, given again to each taker */
	struct shared_file *next;
	size_t klen;
	char key[];         /* the entry key, then the display path */
};

struct tm_parse_cache {
	char *dir;          /* NULL: in memory only (sharing) */
	char *salt;
	unsigned char secret[SECRET];
	uint64_t max_bytes;
	atomic_size_t hits, misses, writes;
	atomic_uint_fast64_t written; /* bytes of the entries this run wrote */
	/* sharing (tm_parse_cache_share): takers per file, or 0 when off */
	unsigned takers;
	pthread_mutex_t lock;
	pthread_cond_t ready;
	tm_hmap shared;
	struct shared_file *all;
	/* files known on disk (below): loaded at the first question, written back on close if grown */
	pthread_mutex_t klock;
	bool known_read, known_dirty;
	int64_t opened_ns;   /* when the run opened the cache: files changed after this less KNOWN_SETTLE_NS are not recorded */
	uint64_t salt_hash;  /* of salt, for the identities of files known */
	tm_arena *known_arena;
	tm_hmap known;       /* identity (dev, inode, limits) -> struct known: the records this run asked for or made */
	struct known **all_known;
	size_t nknown, cap_known;
	unsigned char *disk; /* `files` as read (checked), looked up in place; NULL: none */
	uint64_t disk_n, disk_slots;
};

/* ---- the directory ------------------------------------------------------------------------- */

/* mkdir -p, mode 0700 for what we create. */
static int make_dirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		int rc = mkdir(path, 0700);
		*p = '/';
		if (rc && errno != EEXIST)
			return -1;
	}
	return mkdir(path, 0700) && errno != EEXIST ? -1 : 0;
}

/* n bytes as lowercase hex into out (2 * n + 1 bytes, NUL-terminated). */
static void hex_of(const unsigned char *b, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t k = 0; k < n; k++) {
		out[2 * k] = digits[b[k] >> 4];
		out[2 * k + 1] = digits[b[k] & 15];
	}
	out[2 * n] = '\0';
}

/* The running program's GNU build ID (a hash the linker computes over the linked file: another
 * build, another ID), as hex into out (at least 2 * 64 + 1 bytes): found among its loaded program
 * headers, so nothing is read from disk. */
struct build_id {
	char *out;
	size_t cap;
	bool found;
};

static int build_id_of_main(struct dl_phdr_info *info, size_t size, void *ud)
{
	(void)size;
	struct build_id *b = ud;
	for (size_t i = 0; i < info->dlpi_phnum && !b->found; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_NOTE)
			continue;
		const unsigned char *p = (const unsigned char *)(info->dlpi_addr + ph->p_vaddr), *end = p + ph->p_memsz;
		while ((size_t)(end - p) >= sizeof(ElfW(Nhdr))) {
			ElfW(Nhdr) nh;
			memcpy(&nh, p, sizeof(nh));
			size_t name = (nh.n_namesz + 3u) & ~3u, desc = (nh.n_descsz + 3u) & ~3u;
			const unsigned char *at = p + sizeof(nh);
			if (name > (size_t)(end - at) || desc > (size_t)(end - at - name))
				break;
			if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 && !memcmp(at, "GNU", 4) && nh.n_descsz >= 8 &&
			    2 * (size_t)nh.n_descsz < b->cap) {
				hex_of(at + name, nh.n_descsz, b->out);
				b->found = true;
			}
			p = at + name + desc;
		}
	}
	return 1; /* the first object is the program itself */
}

/* This build, when the caller names none: its build ID, else a hash of the running executable, so
 * a rebuilt trustmap never reads what another build wrote (the ID spares reading 5 MB at every
 * start). NULL when neither can be had (then nothing is cached). */
static const char *build_salt(char *buf, size_t cap)
{
	char id[2 * 64 + 1];
	struct build_id b = {id, sizeof(id), false};
	dl_iterate_phdr(build_id_of_main, &b);
	if (b.found) {
		tm_formatf(buf, cap, "trustmap parse cache: build %s", id);
		return buf;
	}
	tm_limits lim;
	tm_limits_default(&lim);
	lim.max_file_bytes = (size_t)1 << 31;
	tm_diag_list d;
	tm_diag_list_init(&d);
	char *exe = NULL, real[4096];
	size_t len = 0;
	int rc = realpath("/proc/self/exe", real) ? tm_file__read(real, NULL, &lim, &d, &exe, &len) : TM_EIO;
	uint64_t h = rc ? 0 : tm_hash(exe, len);
	tm_free(exe);
	tm_diag_list_dispose(&d);
	if (rc)
		return NULL;
	tm_formatf(buf, cap, "trustmap parse cache: executable %016llx of %zu bytes", (unsigned long long)h, len);
	return buf;
}

/* The directory's secret: read, or made from the system's random source and put into place. A new
 * one is linked (a run that loses the race reads the winner's); one that is there but unusable (a
 * file of another size: cut short by a crash, emptied; a link, a FIFO) is replaced by a rename, then
 * read back, so every run ends with the one on disk. A directory, or a file this user cannot open,
 * is left alone (no cache then). The secret is synced before it is put into place, so after a crash
 * the name never holds fewer bytes. 0, or -1 when there is none to be had. */
static int own_secret(tm_parse_cache *c)
{
	char path[4096], tmp[4200];
	tm_formatf(path, sizeof(path), "%s/secret", c->dir);
	for (int attempt = 0; attempt < 3; attempt++) {
		struct stat st;
		const char *why;
		size_t got = 0;
		bool damaged = false;
		int fd = tm_open_regular(path, &st, &why);
		if (fd >= 0) {
			bool ok = st.st_size == SECRET && !tm_read_fd(fd, (char *)c->secret, SECRET, &got) && got == SECRET;
			close(fd);
			if (ok)
				return 0;
			damaged = true;
		} else if (!lstat(path, &st)) {
			if (S_ISDIR(st.st_mode))
				return -1;
			if (S_ISREG(st.st_mode))
				continue; /* unreadable, or linked by another run since: try again */
			damaged = true;
		}
		if (getrandom(c->secret, SECRET, 0) != SECRET)
			return -1;
		tm_formatf(tmp, sizeof(tmp), "%s.XXXXXX", path);
		fd = mkstemp(tmp); /* mode 0600 */
		if (fd < 0)
			return -1;
		bool ok = write(fd, c->secret, SECRET) == SECRET && !fsync(fd);
		ok = !close(fd) && ok;
		int placed = !ok ? -1 : damaged ? rename(tmp, path) : link(tmp, path);
		int err = errno;
		unlink(tmp);
		if (!placed && !damaged)
			return 0;
		if (!ok || (placed && err != EEXIST))
			return -1;
		/* replaced, or another run linked its own first: read what is there now */
	}
	return -1;
}

tm_parse_cache *tm_parse_cache_open(const char *dir, const char *salt, uint64_t max_bytes)
{
	char own[128];
	if (!dir || !*dir || (!salt && !(salt = build_salt(own, sizeof(own)))))
		return NULL;
	size_t dl = strlen(dir), sl = strlen(salt ? salt : "");
	if (dl > MAX_DIR) /* its entries' paths would be cut short */
		return NULL;
	tm_parse_cache *c = tm_calloc(1, sizeof(*c));
	if (c) {
		pthread_mutex_init(&c->lock, NULL);
		pthread_cond_init(&c->ready, NULL);
		pthread_mutex_init(&c->klock, NULL);
		struct timespec now;
		clock_gettime(CLOCK_REALTIME, &now);
		c->opened_ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
	}
	if (!c || !(c->dir = tm_malloc(dl + 1)) || !(c->salt = tm_malloc(sl + 1))) {
		tm_parse_cache_close(c);
		return NULL;
	}
	memcpy(c->dir, dir, dl + 1);
	memcpy(c->salt, salt ? salt : "", sl + 1);
	c->salt_hash = tm_hash(c->salt, sl);
	c->max_bytes = max_bytes;
	if (make_dirs(c->dir) || own_secret(c)) {
		tm_parse_cache_close(c);
		return NULL;
	}
	return c;
}

tm_parse_cache *tm_parse_cache_open_memory(void)
{
	tm_parse_cache *c = tm_calloc(1, sizeof(*c));
	if (c) {
		pthread_mutex_init(&c->lock, NULL);
		pthread_cond_init(&c->ready, NULL);
		pthread_mutex_init(&c->klock, NULL);
	}
	if (!c || !(c->salt = tm_malloc(1)) || getrandom(c->secret, SECRET, 0) != SECRET) {
		tm_parse_cache_close(c);
		return NULL;
	}
	c->salt[0] = '\0';
	return c;
}

/* Let go of every shared file (the takers that took one hold their own references). */
static void unshare_all(tm_parse_cache *c)
{
	for (struct shared_file *e = c->all, *next; e; e = next) {
		next = e->next;
		tm_file_free(e->file);
		tm_diag_list_dispose(&e->diags);
		tm_free(e);
	}
	c->all = NULL;
	tm_hmap_dispose(&c->shared);
}

void tm_parse_cache_share(tm_parse_cache *c, unsigned takers)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	unshare_all(c);
	c->takers = takers > 1 ? takers : 0;
	pthread_mutex_unlock(&c->lock);
}

void tm_parse_cache_stats(const tm_parse_cache *c, size_t *hits, size_t *misses, size_t *writes)
{
	*hits = c ? atomic_load(&c->hits) : 0;
	*misses = c ? atomic_load(&c->misses) : 0;
	*writes = c ? atomic_load(&c->writes) : 0;
}

struct entry {
	char *path;
	uint64_t size;
	time_t mtime;
};

static int entry_cmp(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;
	if (a->mtime != b->mtime)
		return a->mtime < b->mtime ? -1 : 1;
	return strcmp(a->path, b->path);
}

/* Remove the least recently used entries until the cache holds at most 3/4 of its bound (so the
 * next runs do not prune again at once): the bytes left. Entries live in 256 subdirectories named by
 * their first two hex digits. */
static uint64_t prune(tm_parse_cache *c)
{
	struct entry *es = NULL;
	size_t n = 0, cap = 0;
	uint64_t total = 0;
	char sub[4096];
	for (int d = 0; d < 256; d++) {
		tm_formatf(sub, sizeof(sub), "%s/%02x", c->dir, d);
		DIR *dh = opendir(sub);
		if (!dh)
			continue;
		for (struct dirent *de; (de = readdir(dh));) {
			if (de->d_name[0] == '.')
				continue;
			size_t plen = strlen(sub) + strlen(de->d_name) + 2;
			char *p = tm_malloc(plen);
			struct stat st;
			if (!p)
				break;
			tm_formatf(p, plen, "%s/%s", sub, de->d_name);
			if (stat(p, &st) || !S_ISREG(st.st_mode) || TM_GROW(es, cap, n + 1)) {
				tm_free(p);
				continue;
			}
			es[n++] = (struct entry){p, (uint64_t)st.st_size, st.st_mtime};
			total += (uint64_t)st.st_size;
		}
		closedir(dh);
	}
	/* a `files` a run wrote and did not put in place (it died between the two) is left over */
	DIR *top = opendir(c->dir);
	for (struct dirent *de; top && (de = readdir(top));) {
		struct stat st;
		if (strncmp(de->d_name, "files.", 6) != 0 || strlen(de->d_name) != 12)
			continue;
		tm_formatf(sub, sizeof(sub), "%s/%s", c->dir, de->d_name);
		if (!lstat(sub, &st) && S_ISREG(st.st_mode) && st.st_mtime < time(NULL) - 60 * 60)
			unlink(sub);
	}
	if (top)
		closedir(top);
	if (total > c->max_bytes && n) {
		qsort(es, n, sizeof(*es), entry_cmp);
		for (size_t i = 0; i < n && total > c->max_bytes / 4 * 3; i++)
			if (!unlink(es[i].path))
				total -= es[i].size;
	}
	for (size_t i = 0; i < n; i++)
		tm_free(es[i].path);
	tm_free(es);
	return total;
}

#define LEDGER_DIGITS 20 /* the most a uint64_t takes in decimal */

/* Add this run's written bytes to the directory's ledger, under its lock; prune when that takes it
 * past the bound, or when there is no ledger to trust (none yet, damaged), and write the count the
 * prune made. Without a ledger that can be opened and locked, every run that wrote prunes. */
static void account(tm_parse_cache *c)
{
	char path[4096], text[LEDGER_DIGITS + 2];
	tm_formatf(path, sizeof(path), "%s/size", c->dir);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0 || flock(fd, LOCK_EX)) {
		prune(c);
		if (fd >= 0)
			close(fd);
		return;
	}
	ssize_t got = pread(fd, text, sizeof(text) - 1, 0);
	int64_t had = 0;
	bool known = got > 0 && got <= LEDGER_DIGITS && text[0] >= '0' && text[0] <= '9' &&
		     !tm_parse_i64(text, (size_t)got, 10, &had);
	uint64_t total = known ? (uint64_t)had : 0, written = atomic_load(&c->written);
	if (!known || total > c->max_bytes || written > c->max_bytes - total)
		total = prune(c);
	else
		total += written;
	int len = tm_formatf(text, sizeof(text), "%llu", (unsigned long long)total);
	if (len < 0 || pwrite(fd, text, (size_t)len, 0) != len || ftruncate(fd, len))
		(void)ftruncate(fd, 0); /* a ledger that cannot be trusted is none: the next run counts */
	close(fd); /* and lets go of the lock */
}

static void write_known(tm_parse_cache *c);
static void entry_path(const tm_parse_cache *c, const unsigned char key[KEY], char *out, size_t cap);

void tm_parse_cache__opened_at(tm_parse_cache *c, int64_t ns)
{
	if (c)
		c->opened_ns = ns;
}

void tm_parse_cache_close(tm_parse_cache *c)
{
	if (!c)
		return;
	if (c->dir && atomic_load(&c->writes))
		account(c);
	if (c->dir && c->known_dirty)
		write_known(c);
	unshare_all(c);
	tm_hmap_dispose(&c->known);
	tm_free(c->all_known);
	tm_arena_free(c->known_arena);
	tm_free(c->disk);
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->ready);
	pthread_mutex_destroy(&c->klock);
	tm_free(c->dir);
	tm_free(c->salt);
	tm_free(c);
}

/* ---- files known on disk ------------------------------------------------------------------- */

/*
 * A warm run would still read and hash every file to find its entry. The directory's `files` maps
 * a file's identity (device, inode, and the salt and limits it was parsed under) and its state
 * (size, modification and change times, to the nanosecond) to its entry's key and its digest, as
 * git's index does: a file whose state is unchanged is loaded from its entry without being read.
 * Any write to a file moves its change time, which no one can set back; a file whose change time
 * falls within KNOWN_SETTLE_NS before the run (a write in the same clock tick could leave it
 * unmoved) is not recorded, nor one whose state moved while it was read. A recorded file whose
 * entry is gone is read as before. The map is written whole on close (temporary file, rename) with
 * a keyed checksum: a damaged or foreign one is none, and deleting it costs one run its speed.
 *
 * One cache serves every project its user scans, so `files` holds up to KNOWN_MAX records, most of
 * them other projects'. It is a hash table on disk: the records, then slots that number them by a
 * hash of the identity (open addressing, twice as many slots as records). A run reads it and checks
 * its checksum (a few milliseconds for the largest), then looks up in place only the files it asks
 * about, each copied into the run's own map when found; what a run costs is its own files, not the
 * history of the cache (building a map of every record took 0.1 s and 40 MB a run at KNOWN_MAX).
 */
#define KNOWN_MAGIC "TMPK"
#define KNOWN_FORMAT 2u
#define KNOWN_MAX (1u << 18)                  /* records kept: the files of this run first */
#define KNOWN_RECORD (7 * 8 + KEY)            /* bytes of one record in the file */
#define KNOWN_HEADER 24                       /* magic, format, records, slots */
#define KNOWN_SLOT 4                          /* a record's number + 1, or 0: none */
#define KNOWN_MAX_SLOTS (2 * (uint64_t)KNOWN_MAX)
#define KNOWN_SETTLE_NS (2 * 1000000000LL)    /* coarse file-system clocks tick up to 2 s */

struct known {
	uint64_t id[3];          /* device, inode, hash of salt and limits: the map's key */
	uint64_t size;
	int64_t mtime_ns, ctime_ns;
	uint64_t digest;
	unsigned char key[KEY];
	bool used;               /* asked for or recorded by this run */
};

static int64_t ns_of(struct timespec t)
{
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static uint64_t limits_id(const tm_parse_cache *c, const tm_limits *l)
{
	uint64_t h[1 + TM_LIMITS_WORDS] = {c->salt_hash};
	tm_limits_words(l, h + 1);
	return tm_hash(h, sizeof(h));
}

static void known_mac(const tm_parse_cache *c, const unsigned char *data, size_t len, unsigned char out[16])
{
	XXH128_canonical_t canon;
	XXH128_canonicalFromHash(&canon, XXH3_128bits_withSecret(data, len, c->secret, SECRET));
	memcpy(out, canon.digest, 16);
}

static struct known *known_add(tm_parse_cache *c, const uint64_t id[3])
{
	if (!c->known_arena && !(c->known_arena = tm_arena_new()))
		return NULL;
	struct known *k = tm_arena_alloc(c->known_arena, sizeof(*k));
	if (!k || TM_GROW(c->all_known, c->cap_known, c->nknown + 1))
		return NULL;
	memcpy(k->id, id, sizeof(k->id));
	if (tm_hmap_put(&c->known, (const char *)k->id, sizeof(k->id), k))
		return NULL;
	c->all_known[c->nknown++] = k;
	return k;
}

static uint64_t get_u64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

static void put_u64(unsigned char *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

/* The slot an identity's probe starts at, of nslots (a power of two). Written and read by the
 * same function, so it must not change without KNOWN_FORMAT. */
static uint64_t known_slot(const uint64_t id[3], uint64_t nslots)
{
	return XXH3_64bits(id, 3 * sizeof(uint64_t)) & (nslots - 1);
}

/* The bytes of `files` (size of them) laid out as this format wants, records and slots in range?
 * The checksum is checked apart. */
static bool known_shape(const unsigned char *data, size_t size, uint64_t *n, uint64_t *nslots)
{
	uint32_t fmt;
	memcpy(&fmt, data + 4, 4);
	*n = get_u64(data + 8);
	*nslots = get_u64(data + 16);
	return !memcmp(data, KNOWN_MAGIC, 4) && fmt == KNOWN_FORMAT && *n <= KNOWN_MAX && *nslots <= KNOWN_MAX_SLOTS &&
	       *nslots && !(*nslots & (*nslots - 1)) && *nslots > *n &&
	       size == KNOWN_HEADER + *n * KNOWN_RECORD + *nslots * KNOWN_SLOT + 16;
}

/* The identity a record of the file holds. */
static void record_id(const unsigned char *r, uint64_t id[3])
{
	id[0] = get_u64(r);
	id[1] = get_u64(r + 8);
	id[2] = get_u64(r + 16);
}

/* The directory's `files`, read once (under klock) and kept to look up in; a damaged or foreign
 * one is none. */
static void read_known(tm_parse_cache *c)
{
	c->known_read = true;
	char path[4096];
	tm_formatf(path, sizeof(path), "%s/files", c->dir);
	struct stat st;
	const char *why;
	int fd = tm_open_regular(path, &st, &why);
	if (fd < 0)
		return;
	size_t size = (size_t)st.st_size, got = 0;
	size_t most = KNOWN_HEADER + (size_t)KNOWN_MAX * KNOWN_RECORD + (size_t)KNOWN_MAX_SLOTS * KNOWN_SLOT + 16;
	unsigned char *data = size >= KNOWN_HEADER + KNOWN_SLOT + 16 && size <= most ? tm_malloc(size) : NULL;
	bool ok = data && !tm_read_fd(fd, (char *)data, size, &got) && got == size;
	close(fd);
	unsigned char mac[16];
	uint64_t n = 0, nslots = 0;
	if (ok && known_shape(data, size, &n, &nslots)) {
		known_mac(c, data, size - 16, mac);
		if (!memcmp(mac, data + size - 16, 16)) {
			c->disk = data;
			c->disk_n = n;
			c->disk_slots = nslots;
			return;
		}
	}
	tm_free(data);
}

/* The record of identity id in `files` as read, or NULL. Probes stop at an empty slot (there is
 * always one: more slots than records) or after every slot, whatever the slots say. */
static const unsigned char *disk_find(const tm_parse_cache *c, const uint64_t id[3])
{
	if (!c->disk)
		return NULL;
	const unsigned char *records = c->disk + KNOWN_HEADER;
	const unsigned char *slots = records + c->disk_n * KNOWN_RECORD;
	uint64_t s = known_slot(id, c->disk_slots);
	for (uint64_t probes = 0; probes < c->disk_slots; probes++, s = (s + 1) & (c->disk_slots - 1)) {
		uint32_t v;
		memcpy(&v, slots + s * KNOWN_SLOT, 4);
		if (!v)
			return NULL;
		if (v > c->disk_n)
			continue;
		const unsigned char *r = records + (uint64_t)(v - 1) * KNOWN_RECORD;
		uint64_t rid[3];
		record_id(r, rid);
		if (!memcmp(rid, id, sizeof(rid)))
			return r;
	}
	return NULL;
}

static void record_put(unsigned char *r, const struct known *k)
{
	put_u64(r, k->id[0]);
	put_u64(r + 8, k->id[1]);
	put_u64(r + 16, k->id[2]);
	put_u64(r + 24, k->size);
	put_u64(r + 32, (uint64_t)k->mtime_ns);
	put_u64(r + 40, (uint64_t)k->ctime_ns);
	put_u64(r + 48, k->digest);
	memcpy(r + 56, k->key, KEY);
}

static void record_get(struct known *k, const unsigned char *r)
{
	k->size = get_u64(r + 24);
	k->mtime_ns = (int64_t)get_u64(r + 32);
	k->ctime_ns = (int64_t)get_u64(r + 40);
	k->digest = get_u64(r + 48);
	memcpy(k->key, r + 56, KEY);
}

/* `files` written whole: the records this run used, then the others it holds, then those of the
 * file it read that this run did not take, up to KNOWN_MAX; then the slots. */
static void write_known(tm_parse_cache *c)
{
	size_t n = 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < c->nknown && n < KNOWN_MAX; i++)
			n += c->all_known[i]->used == (pass == 0);
	size_t from_disk = 0; /* records of the file read, by number, that go on (in the bitmap below) */
	unsigned char *keep = c->disk && c->disk_n ? tm_calloc((size_t)(c->disk_n + 7) / 8, 1) : NULL;
	for (uint64_t i = 0; keep && i < c->disk_n && n + from_disk < KNOWN_MAX; i++) {
		uint64_t id[3];
		record_id(c->disk + KNOWN_HEADER + i * KNOWN_RECORD, id);
		if (tm_hmap_get(&c->known, (const char *)id, sizeof(id)))
			continue; /* this run's record stands for it */
		keep[i / 8] |= (unsigned char)(1u << (i % 8));
		from_disk++;
	}
	uint64_t total = n + from_disk, nslots = 1;
	while (nslots < 2 * total)
		nslots *= 2;
	size_t size = KNOWN_HEADER + total * KNOWN_RECORD + nslots * KNOWN_SLOT + 16;
	unsigned char *data = tm_calloc(size, 1);
	if (!data) {
		tm_free(keep);
		return;
	}
	memcpy(data, KNOWN_MAGIC, 4);
	uint32_t fmt = KNOWN_FORMAT;
	memcpy(data + 4, &fmt, 4);
	put_u64(data + 8, total);
	put_u64(data + 16, nslots);
	unsigned char *records = data + KNOWN_HEADER, *slots = records + total * KNOWN_RECORD;
	size_t o = 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < c->nknown && o < n; i++)
			if (c->all_known[i]->used == (pass == 0))
				record_put(records + o++ * KNOWN_RECORD, c->all_known[i]);
	for (uint64_t i = 0; keep && i < c->disk_n && o < total; i++)
		if (keep[i / 8] & (1u << (i % 8)))
			memcpy(records + o++ * KNOWN_RECORD, c->disk + KNOWN_HEADER + i * KNOWN_RECORD, KNOWN_RECORD);
	tm_free(keep);
	for (uint64_t i = 0; i < total; i++) {
		uint64_t id[3];
		record_id(records + i * KNOWN_RECORD, id);
		uint64_t s = known_slot(id, nslots);
		uint32_t v;
		for (;; s = (s + 1) & (nslots - 1)) {
			memcpy(&v, slots + s * KNOWN_SLOT, 4);
			if (!v)
				break;
		}
		v = (uint32_t)(i + 1);
		memcpy(slots + s * KNOWN_SLOT, &v, 4);
	}
	known_mac(c, data, size - 16, data + size - 16);
	char path[4096], tmp[4200];
	tm_formatf(path, sizeof(path), "%s/files", c->dir);
	tm_formatf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd >= 0) {
		bool ok = write(fd, data, size) == (ssize_t)size;
		ok = !close(fd) && ok;
		if (!ok || rename(tmp, path))
			unlink(tmp);
	}
	tm_free(data);
}

/* The identity of the file st describes under limits. */
static void identity(const tm_parse_cache *c, const struct stat *st, const tm_limits *limits, uint64_t id[3])
{
	id[0] = (uint64_t)st->st_dev;
	id[1] = (uint64_t)st->st_ino;
	id[2] = limits_id(c, limits);
}

/* The record of identity id, `files` read first if it was not (klock held): the run's own, or
 * `files`' copied into the run's map; NULL: none (or no memory to copy it). */
static struct known *known_find(tm_parse_cache *c, const uint64_t id[3])
{
	if (!c->known_read)
		read_known(c);
	struct known *k = tm_hmap_get(&c->known, (const char *)id, 3 * sizeof(uint64_t));
	if (k || c->nknown >= 2 * (size_t)KNOWN_MAX)
		return k;
	const unsigned char *r = disk_find(c, id);
	if (r && (k = known_add(c, id)))
		record_get(k, r);
	return k;
}

/* Does record k hold the state st describes? */
static bool known_holds(const struct known *k, const struct stat *st)
{
	return k && k->size == (uint64_t)st->st_size && k->mtime_ns == ns_of(st->st_mtim) &&
	       k->ctime_ns == ns_of(st->st_ctim);
}

/* Is the file st describes recorded in its present state? Its entry's key and digest if so. */
static bool known_lookup(tm_parse_cache *c, const struct stat *st, const tm_limits *limits, unsigned char key[KEY],
			 uint64_t *digest)
{
	uint64_t id[3];
	identity(c, st, limits, id);
	pthread_mutex_lock(&c->klock);
	struct known *k = known_find(c, id);
	bool hit = known_holds(k, st);
	if (hit) {
		k->used = true;
		memcpy(key, k->key, KEY);
		*digest = k->digest;
	}
	pthread_mutex_unlock(&c->klock);
	return hit;
}

static bool same_state(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       ns_of(a->st_mtim) == ns_of(b->st_mtim) && ns_of(a->st_ctim) == ns_of(b->st_ctim);
}

/* Record that the file st describes (before and after it was read: after) holds the bytes of key. */
static void known_record(tm_parse_cache *c, const struct stat *before, const struct stat *after,
			 const tm_limits *limits, const unsigned char key[KEY], uint64_t digest)
{
	if (!same_state(before, after) || ns_of(after->st_ctim) > c->opened_ns - KNOWN_SETTLE_NS ||
	    ns_of(after->st_mtim) > c->opened_ns - KNOWN_SETTLE_NS)
		return;
	uint64_t id[3];
	identity(c, after, limits, id);
	pthread_mutex_lock(&c->klock);
	struct known *k = known_find(c, id);
	if (known_holds(k, after) && k->digest == digest && !memcmp(k->key, key, KEY)) {
		k->used = true; /* as it was: nothing to write */
		pthread_mutex_unlock(&c->klock);
		return;
	}
	pthread_mutex_unlock(&c->klock);
	/* only a file whose entry is there (stored or loaded: a parse that could not be kept, for its
	 * dropped diagnostics or its depth, has none) is worth knowing */
	char path[4096];
	struct stat st;
	entry_path(c, key, path, sizeof(path));
	if (lstat(path, &st) || !S_ISREG(st.st_mode))
		return;
	pthread_mutex_lock(&c->klock);
	k = known_find(c, id);
	if (!k && c->nknown < 2 * (size_t)KNOWN_MAX)
		k = known_add(c, id);
	if (k) {
		k->size = (uint64_t)after->st_size;
		k->mtime_ns = ns_of(after->st_mtim);
		k->ctime_ns = ns_of(after->st_ctim);
		k->digest = digest;
		memcpy(k->key, key, KEY);
		k->used = true;
		c->known_dirty = true;
	}
	pthread_mutex_unlock(&c->klock);
}

/* ---- keys ---------------------------------------------------------------------------------- */

static int make_key(const tm_parse_cache *c, const tm_limits *l, const char *buf, size_t len, unsigned char key[KEY])
{
	XXH3_state_t *st = XXH3_createState();
	uint64_t lim[TM_LIMITS_WORDS];
	tm_limits_words(l, lim);
	if (!st || XXH3_128bits_reset_withSecret(st, c->secret, SECRET) != XXH_OK ||
	    XXH3_128bits_update(st, c->salt, strlen(c->salt) + 1) != XXH_OK ||
	    XXH3_128bits_update(st, lim, sizeof(lim)) != XXH_OK || XXH3_128bits_update(st, buf, len) != XXH_OK) {
		XXH3_freeState(st);
		return -1;
	}
	XXH128_canonical_t canon;
	XXH128_canonicalFromHash(&canon, XXH3_128bits_digest(st));
	XXH3_freeState(st);
	memcpy(key, canon.digest, KEY);
	return 0;
}

static void entry_path(const tm_parse_cache *c, const unsigned char key[KEY], char *out, size_t cap)
{
	char hex[2 * KEY + 1];
	hex_of(key, KEY, hex);
	tm_formatf(out, cap, "%s/%.2s/%s", c->dir, hex, hex + 2);
}

/* ---- writing ------------------------------------------------------------------------------- */

struct writer {
	tm_strbuf sb;
	bool shared;    /* the file has aliases: number the values (else no value is met twice) */
	tm_arena *keys; /* the seen map's keys */
	tm_hmap seen; /* value address -> record number + 1, for values reached again (aliases) */
	uint32_t next;
	const tm_value **moved; /* values written inside another container than their parent */
	size_t nmoved, capmoved;
	uint32_t *done; /* record number -> when it was finished (1, 2, ...), as a load will see it */
	size_t capdone;
	uint32_t ndone;
	bool bad;     /* something not worth caching (a diagnostic about another file) */
};

static void put(struct writer *w, const void *p, size_t n)
{
	tm_strbuf_put(&w->sb, p, n);
}

static void put_u32(struct writer *w, uint32_t v) { put(w, &v, 4); }

/* LEB128: seven bits a byte, low first (most lines, columns and lengths take one or two bytes). */
static void put_var(struct writer *w, uint32_t v)
{
	unsigned char b[5];
	size_t n = 0;
	do {
		b[n] = (unsigned char)(v & 0x7f);
		v >>= 7;
		b[n] |= v ? 0x80 : 0;
		n++;
	} while (v);
	put(w, b, n);
}

static void put_str(struct writer *w, const char *s)
{
	uint32_t n = s ? (uint32_t)strlen(s) : UINT32_MAX;
	put_u32(w, n);
	if (s)
		put(w, s, n);
}

/* In a file with aliases: write a reference when v was written before (true), else give v the
 * next record number (records are numbered in the order they are written, as a load makes them). */
static bool put_shared(struct writer *w, const tm_value *v)
{
	uintptr_t at = (uintptr_t)tm_hmap_get(&w->seen, (const char *)&v, sizeof(v));
	if (at) {
		uint8_t tag = REF_TAG;
		put(w, &tag, 1);
		put_var(w, (uint32_t)(at - 1));
		return true;
	}
	/* the key is the value's address, copied: the map keeps its own bytes */
	char *k = tm_arena_alloc(w->keys, sizeof(v));
	if (!k || tm_hmap_put(&w->seen, memcpy(k, &v, sizeof(v)), sizeof(v), (void *)(uintptr_t)(w->next + 1)))
		w->bad = true;
	return false;
}

/* v, written inside container in (NULL: a document root). */
static void put_value(struct writer *w, const tm_value *v, const tm_value *in, unsigned depth)
{
	if (w->bad || w->sb.oom)
		return;
	if (depth > MAX_DEPTH) {
		w->bad = true;
		return;
	}
	if (w->shared && put_shared(w, v))
		return;
	/* an aliased value is written where the walk meets it first, which need not be in its parent
	 * (a duplicate key given an alias, a merge of an anchored map): its parent follows the documents */
	if (w->shared && v->parent != in) {
		if (TM_GROW(w->moved, w->capmoved, w->nmoved + 1))
			w->bad = true;
		else
			w->moved[w->nmoved++] = v;
	}
	/* one byte: kind (2 bits), scalar type (3 bits), quoted (1 bit), a map's key index follows its
	 * pairs (1 bit: a load need not sort the keys again), a !reset or !override tag (1 bit) */
	uint32_t rec = w->next++;
	bool indexed = v->kind == TM_VALUE_MAP && (v->flags & TM_VF_INDEXED);
	uint8_t head = (uint8_t)(v->kind | (v->type & 7) << 2 | (v->flags & TM_VF_QUOTED ? 0x20 : 0) | (indexed ? 0x40 : 0) |
				 (v->flags & TM_VF_REPLACE ? 0x80 : 0));
	put(w, &head, 1);
	put_var(w, v->line);
	put_var(w, v->col);
	put_var(w, v->len);
	if (v->kind == TM_VALUE_SCALAR) {
		put(w, v->u.str, v->len);
		put(w, "", 1); /* a load points into the entry: the text keeps its terminator */
	} else
		for (size_t i = 0; i < (v->kind == TM_VALUE_MAP ? 2 * (size_t)v->len : v->len); i++)
			put_value(w, v->u.kids[i], v, depth + 1);
	if (indexed) {
		const uint32_t *order = (const uint32_t *)(v->u.kids + 2 * (size_t)v->len);
		for (size_t i = 0; i < v->len; i++)
			put_var(w, order[i]);
	}
	if (w->shared && !TM_GROW(w->done, w->capdone, (size_t)rec + 1))
		w->done[rec] = ++w->ndone;
	else if (w->shared)
		w->bad = true;
}

/* After the documents: the parents of the moved values, as pairs of record numbers (value, parent).
 * A load takes only a parent finished after the value (so following parents always ends), as every
 * container holding the value is. A parent that does not hold it (a map merged inline and dropped
 * with its '<<' key) may not be; one in no document cannot be named: the value then keeps the
 * container it was written in. */
static void put_parents(struct writer *w)
{
	uint32_t n = 0;
	for (int pass = 0; pass < 2; pass++) {
		if (pass)
			put_var(w, n);
		for (size_t i = 0; i < w->nmoved; i++) {
			const tm_value *v = w->moved[i], *p = v->parent;
			uintptr_t vn = (uintptr_t)tm_hmap_get(&w->seen, (const char *)&v, sizeof(v));
			uintptr_t pn = p ? (uintptr_t)tm_hmap_get(&w->seen, (const char *)&p, sizeof(p)) : 0;
			if (!vn || !pn || w->done[pn - 1] <= w->done[vn - 1])
				continue;
			if (!pass) {
				n++;
			} else {
				put_var(w, (uint32_t)(vn - 1));
				put_var(w, (uint32_t)(pn - 1));
			}
		}
	}
}

/* Write f (and the diagnostics d[from..]) under key; failures leave no entry and are not errors. */
static void store(tm_parse_cache *c, const unsigned char key[KEY], const tm_file *f, const tm_diag_list *d, size_t from)
{
	struct writer w;
	memset(&w, 0, sizeof(w));
	w.shared = f->shared;
	if (!(w.keys = tm_arena_new()))
		return;
	uint8_t syn[3] = {(uint8_t)f->syntax, f->positions, w.shared};
	put(&w, syn, 3);
	put_u32(&w, (uint32_t)(d->count - from));
	for (size_t i = from; i < d->count; i++) {
		const tm_diag *g = &d->items[i];
		if (!g->loc.path || strcmp(g->loc.path, f->path) != 0)
			w.bad = true;
		int32_t code = g->code;
		uint8_t level = (uint8_t)g->level;
		put(&w, &code, 4);
		put(&w, &level, 1);
		put_u32(&w, g->loc.line);
		put_u32(&w, g->loc.col);
		put_str(&w, g->loc.pointer);
		put_str(&w, g->msg);
	}
	uint64_t nvalues = f->nvalues;
	put(&w, &nvalues, 8);
	put_u32(&w, (uint32_t)f->ndocs);
	for (size_t i = 0; i < f->ndocs; i++)
		put_value(&w, f->docs[i], NULL, 0);
	if (!w.bad && !w.sb.oom) /* else some record was left unfinished */
		put_parents(&w);
	tm_free(w.moved);
	tm_free(w.done);
	tm_hmap_dispose(&w.seen);
	tm_arena_free(w.keys);
	if (w.bad || w.sb.oom) {
		tm_strbuf_dispose(&w.sb);
		return;
	}
	char path[4096], tmp[4200];
	entry_path(c, key, path, sizeof(path));
	tm_formatf(tmp, sizeof(tmp), "%s", path);
	*strrchr(tmp, '/') = '\0';
	if (mkdir(tmp, 0700) && errno != EEXIST) {
		tm_strbuf_dispose(&w.sb);
		return;
	}
	tm_formatf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd >= 0) {
		unsigned char head[HEADER];
		uint32_t fmt = FORMAT;
		uint64_t len = w.sb.len, sum = tm_hash(w.sb.data, w.sb.len);
		memcpy(head, MAGIC, 4);
		memcpy(head + 4, &fmt, 4);
		memcpy(head + 8, key, KEY);
		memcpy(head + 8 + KEY, &len, 8);
		memcpy(head + 16 + KEY, &sum, 8);
		bool ok = write(fd, head, HEADER) == HEADER && write(fd, w.sb.data, w.sb.len) == (ssize_t)w.sb.len;
		ok = !close(fd) && ok;
		if (ok && !rename(tmp, path)) {
			atomic_fetch_add(&c->writes, 1);
			atomic_fetch_add(&c->written, (uint64_t)HEADER + w.sb.len);
		} else
			unlink(tmp);
	}
	tm_strbuf_dispose(&w.sb);
}

/* ---- reading ------------------------------------------------------------------------------- */

struct reader {
	const unsigned char *p, *end;
	tm_file *f;
	struct made {
		tm_value *v;  /* NULL until finished */
		size_t done;  /* when it was finished: a container is finished after its children */
	} *made;          /* record number -> value */
	size_t nmade, capmade, ndone;
	bool numbered;    /* the file had aliases: only then may references and parents follow */
	bool bad;
};

static bool take(struct reader *r, void *out, size_t n)
{
	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = true;
		return false;
	}
	memcpy(out, r->p, n);
	r->p += n;
	return true;
}

static uint32_t take_u32(struct reader *r)
{
	uint32_t v = 0;
	take(r, &v, 4);
	return v;
}

static uint32_t take_var_long(struct reader *r)
{
	uint32_t v = 0;
	for (unsigned shift = 0; shift < 35; shift += 7) {
		if (r->bad || r->p == r->end) {
			r->bad = true;
			return 0;
		}
		unsigned char b = *r->p++;
		if (shift == 28 && (b & 0x70)) { /* over 32 bits */
			r->bad = true;
			return 0;
		}
		v |= (uint32_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
	}
	r->bad = true;
	return 0;
}

/* Most numbers (lines, columns, lengths) fit one or two bytes: read those here, the rest above. */
static inline uint32_t take_var(struct reader *r)
{
	if (!r->bad && r->end - r->p >= 2) {
		if (r->p[0] < 0x80)
			return *r->p++;
		if (r->p[1] < 0x80) {
			uint32_t v = (uint32_t)(r->p[0] & 0x7f) | (uint32_t)r->p[1] << 7;
			r->p += 2;
			return v;
		}
	}
	return take_var_long(r);
}

/* A string of the entry, copied into the file's arena (NULL: the entry said none). */
static const char *take_str(struct reader *r, tm_arena *a)
{
	uint32_t n = take_u32(r);
	if (r->bad || n == UINT32_MAX)
		return NULL;
	if ((size_t)(r->end - r->p) < n) {
		r->bad = true;
		return NULL;
	}
	char *s = tm_arena_strndup(a, (const char *)r->p, n);
	r->p += n;
	if (!s)
		r->bad = true;
	return s;
}

static tm_value *finished(struct reader *r, size_t slot, tm_value *v)
{
	r->made[slot] = (struct made){v, ++r->ndone};
	return v;
}

static tm_value *take_value(struct reader *r, const tm_value *parent, unsigned depth)
{
	uint8_t head;
	if (!take(r, &head, 1))
		return NULL;
	if (head == REF_TAG) { /* a value made and finished before (a reference to one still being
				* made would be a cycle: its slot is NULL until it is finished) */
		uint32_t at = take_var(r);
		if (r->bad || !r->numbered || at >= r->nmade || !r->made[at].v) {
			r->bad = true;
			return NULL;
		}
		r->f->shared = true;
		return r->made[at].v;
	}
	bool indexed = head & 0x40;
	if ((head & 3) > TM_VALUE_SEQ || depth > MAX_DEPTH || (indexed && (head & 3) != TM_VALUE_MAP)) {
		r->bad = true;
		return NULL;
	}
	tm_value *v = tm_arena_alloc_raw(r->f->arena, sizeof(*v)); /* every field set below */
	if (!v || TM_GROW(r->made, r->capmade, r->nmade + 1)) {
		r->bad = true;
		return NULL;
	}
	size_t slot = r->nmade;
	r->made[r->nmade++] = (struct made){NULL, 0};
	v->kind = head & 3;
	v->type = (head >> 2) & 7;
	v->flags = (uint8_t)((head & 0x20 ? TM_VF_QUOTED : 0) | (head & 0x80 ? TM_VF_REPLACE : 0));
	v->line = take_var(r);
	v->col = take_var(r);
	v->len = take_var(r);
	v->parent = parent;
	v->u.kids = NULL;
	if (r->bad)
		return NULL;
	size_t left = (size_t)(r->end - r->p);
	if (v->kind == TM_VALUE_SCALAR) {
		/* the text stays where it is, in the entry the file's arena holds */
		if (v->type > TM_SCALAR_FLOAT || v->len >= left || r->p[v->len]) {
			r->bad = true;
			return NULL;
		}
		v->u.str = (const char *)r->p;
		r->p += (size_t)v->len + 1;
		return finished(r, slot, v);
	}
	size_t n = v->kind == TM_VALUE_MAP ? 2 * (size_t)v->len : v->len;
	if (n > left / 2) { /* every record takes at least 2 bytes: a count past the end is a lie */
		r->bad = true;
		return NULL;
	}
	if (indexed && v->len <= TM_MAP_INDEX_MIN) {
		r->bad = true;
		return NULL;
	}
	if (n) {
		/* every slot is written below, or the entry is refused */
		v->u.kids = tm_arena_alloc_raw(r->f->arena, n * sizeof(tm_value *) + (indexed ? v->len * sizeof(uint32_t) : 0));
		if (!v->u.kids) {
			r->bad = true;
			return NULL;
		}
		for (size_t i = 0; i < n && !r->bad; i++)
			v->u.kids[i] = take_value(r, v, depth + 1);
	}
	if (indexed) { /* the order of the pairs by key, each checked to name a pair */
		uint32_t *order = (uint32_t *)(v->u.kids + n);
		for (size_t i = 0; i < v->len && !r->bad; i++)
			if ((order[i] = take_var(r)) >= v->len)
				r->bad = true;
		v->flags |= TM_VF_INDEXED;
	} else if (!r->bad && v->kind == TM_VALUE_MAP && tm_parse__index_map(r->f->arena, v)) {
		r->bad = true;
	}
	return r->bad ? NULL : finished(r, slot, v);
}

/* The parents written after the documents: each names a container finished after the value (so
 * following parents always ends), and no document root gets one. */
static void take_parents(struct reader *r)
{
	uint32_t n = take_var(r);
	if (n && !r->numbered)
		r->bad = true;
	for (uint32_t i = 0; i < n && !r->bad; i++) {
		uint32_t vn = take_var(r), pn = take_var(r);
		if (r->bad || vn >= r->nmade || pn >= r->nmade) {
			r->bad = true;
			return;
		}
		const struct made *v = &r->made[vn], *p = &r->made[pn];
		if (!v->v || !p->v || !v->v->parent || p->v->kind == TM_VALUE_SCALAR || p->done <= v->done) {
			r->bad = true;
			return;
		}
		v->v->parent = p->v;
	}
}

/* The entry under key, as a file shown as display, its diagnostics added to diags: 0, or
 * TM_ENOTFOUND (no usable entry), or TM_ENOMEM. */
static int load(tm_parse_cache *c, const unsigned char key[KEY], const char *display, uint64_t digest,
		tm_file **out, tm_diag_list *diags)
{
	char path[4096];
	entry_path(c, key, path, sizeof(path));
	struct stat st;
	const char *why;
	int fd = tm_open_regular(path, &st, &why);
	if (fd < 0) {
		/* not there, or not a regular file (a directory, a link, a FIFO): removed, so the write
		 * that follows the miss can put the entry in its place (a rename cannot replace a
		 * directory); a directory that is not empty stays, and this entry is never kept */
		if (!lstat(path, &st) && !S_ISREG(st.st_mode))
			(void)(S_ISDIR(st.st_mode) ? rmdir(path) : unlink(path));
		return TM_ENOTFOUND;
	}
	/* the entry is read into the file's arena, or a large one mapped (its pages are the page
	 * cache's, not new memory to be zeroed and copied into), and stays: its scalars are the tree's
	 * text. A mapping is private and writable (a write copies the page), and safe from the cache's
	 * own writers: an entry is only ever replaced by a rename, never rewritten in place. */
	if (st.st_mtime < time(NULL) - 24 * 60 * 60)
		(void)futimens(fd, NULL); /* used: the prune goes by when an entry was last used */
	size_t size = (size_t)st.st_size, got = 0;
	tm_file *f = size >= HEADER && size < ((size_t)1 << 40) ? tm_calloc(1, sizeof(*f)) : NULL;
	unsigned char *data = NULL;
	if (f && (f->arena = tm_arena_new())) {
		void *m = size >= MAP_MIN ? mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0) : MAP_FAILED;
		if (m != MAP_FAILED) {
			f->map = data = m;
			f->map_len = got = size;
		} else { /* read: the arena's first room is the entry's (the tree's below) */
			tm_arena_reserve(f->arena, size);
			data = tm_arena_alloc_raw(f->arena, size);
		}
	}
	bool read_ok = data && (f->map || (!tm_read_fd(fd, (char *)data, size, &got) && got == size));
	close(fd);
	uint32_t fmt = 0;
	uint64_t plen = 0, sum = 0;
	if (read_ok) {
		memcpy(&fmt, data + 4, 4);
		memcpy(&plen, data + 8 + KEY, 8);
		memcpy(&sum, data + 16 + KEY, 8);
	}
	if (!read_ok || memcmp(data, MAGIC, 4) || fmt != FORMAT || memcmp(data + 8, key, KEY) ||
	    plen != size - HEADER || tm_hash(data + HEADER, plen) != sum) {
		tm_file_free(f);
		if (read_ok || size < HEADER || (data && got != size))
			unlink(path); /* damaged or foreign: the next run writes it again */
		return TM_ENOTFOUND;
	}
	struct reader r = {data + HEADER, data + size, f, NULL, 0, 0, 0, false, false};
	int rc = 0;
	if (!(f->path = tm_arena_strdup(f->arena, display))) {
		rc = TM_ENOMEM;
		goto done;
	}
	uint8_t syn[3] = {0, 0, 0};
	take(&r, syn, 3);
	f->syntax = syn[0] == TM_SYNTAX_JSON ? TM_SYNTAX_JSON : TM_SYNTAX_YAML;
	f->positions = syn[1] != 0;
	r.numbered = syn[2] == 1;
	if (syn[2] > 1)
		r.bad = true;
	f->digest = digest;
	/* the diagnostics go to a list of their own first: a damaged entry adds none */
	tm_diag_list mine;
	tm_diag_list_init(&mine);
	uint32_t nd = take_u32(&r);
	for (uint32_t i = 0; i < nd && !r.bad; i++) {
		int32_t code = 0;
		uint8_t level = 0;
		take(&r, &code, 4);
		take(&r, &level, 1);
		tm_loc loc = {f->path, 0, 0, NULL};
		loc.line = take_u32(&r);
		loc.col = take_u32(&r);
		loc.pointer = take_str(&r, f->arena);
		const char *msg = take_str(&r, f->arena);
		if (!r.bad && (!msg || level > TM_LEVEL_ERROR))
			r.bad = true;
		if (!r.bad && tm_diag_add(&mine, code, (tm_level)level, loc, "%s", msg))
			rc = TM_ENOMEM;
	}
	uint64_t nvalues = 0;
	take(&r, &nvalues, 8);
	f->nvalues = (size_t)nvalues;
	/* every record takes two bytes or more: a count past what is left is cut to that (and the
	 * room below still grows if the count lied) */
	size_t records = (size_t)(r.end - r.p) / 2 + 1;
	/* the tree: a value and its place in its container's array (40 bytes, a little under what
	 * they take with their alignment, so the room is filled rather than left over) */
	if (!r.bad && nvalues < records)
		tm_arena_reserve(f->arena, (size_t)nvalues * 40);
	/* the record-number table, sized once. Every entry keeps it, numbered or not: keeping it only
	 * for numbered ones took fewer instructions but measured slower in a diff of 5,000 services
	 * (0.5 s more system time, 30 MB more at the peak: how glibc's malloc then lays out the two
	 * sides' heaps) */
	if (!r.bad && TM_GROW(r.made, r.capmade, nvalues < records ? (size_t)nvalues + 1 : records))
		rc = TM_ENOMEM;
	uint32_t ndocs = take_u32(&r);
	for (uint32_t i = 0; i < ndocs && !r.bad && !rc; i++) {
		tm_value *root = take_value(&r, NULL, 0);
		if (root && tm_parse__add_doc(f, root))
			rc = TM_ENOMEM;
	}
	take_parents(&r);
	if (!rc && !r.bad && r.p == r.end) {
		for (size_t i = 0; i < mine.count; i++)
			if (tm_diag_add(diags, mine.items[i].code, mine.items[i].level, mine.items[i].loc, "%s", mine.items[i].msg))
				rc = TM_ENOMEM;
	} else if (!rc) {
		rc = TM_ENOTFOUND;
		unlink(path);
	}
	tm_diag_list_dispose(&mine);
done:
	tm_free(r.made);
	if (rc) {
		tm_file_free(f);
		return rc;
	}
	*out = f;
	return 0;
}

/* ---- the parse entry points ---------------------------------------------------------------- */

/* The parse through the directory (load, else parse and store), or a plain parse for a cache in
 * memory only. Without bytes (buf NULL: a file known by its identity, see "files known on disk"),
 * only the load: TM_ENOTFOUND when the entry is gone. */
static int parse_stored(tm_parse_cache *c, const unsigned char key[KEY], uint64_t digest, tm_file **out,
			const char *path, const char *buf, size_t len, const tm_limits *limits, tm_diag_list *diags)
{
	if (!c->dir)
		return buf ? tm_file_parse(out, path, buf, len, limits, diags) : TM_ENOTFOUND;
	int rc = load(c, key, path, digest, out, diags);
	if (rc != TM_ENOTFOUND || !buf) {
		if (!rc)
			atomic_fetch_add(&c->hits, 1);
		return rc;
	}
	atomic_fetch_add(&c->misses, 1);
	size_t before = diags->count, dropped = diags->dropped;
	rc = tm_file_parse(out, path, buf, len, limits, diags);
	if (!rc && !diags->oom && diags->dropped == dropped)
		store(c, key, *out, diags, before);
	return rc;
}

/* e's diagnostics added to diags: 0 or TM_ENOMEM (a list that ran out of memory stays so). */
static int replay_diags(const struct shared_file *e, tm_diag_list *diags)
{
	for (size_t i = 0; i < e->diags.count; i++) {
		const tm_diag *g = &e->diags.items[i];
		if (tm_diag_add(diags, g->code, g->level, g->loc, "%s", g->msg))
			return TM_ENOMEM;
	}
	if (e->diags.oom)
		diags->oom = 1;
	return 0;
}

/* e's file and diagnostics for one more taker (under the lock): its rc. The last taker's reference
 * is the one the entry held. */
static int take_shared(tm_parse_cache *c, struct shared_file *e, tm_file **out, tm_diag_list *diags)
{
	*out = e->file;
	if (replay_diags(e, diags))
		return TM_ENOMEM; /* *out is the caller's all the same */
	if (e->file && ++e->taken < c->takers)
		tm_file_ref(e->file);
	else
		e->file = NULL;
	return e->rc;
}

/* Parse (or load) e's file for its takers, the lock not held, and publish it: the first taker's
 * rc. A load without bytes that finds no entry leaves e gone (see below). */
static int fill_shared(tm_parse_cache *c, struct shared_file *e, const unsigned char key[KEY], uint64_t digest,
		       tm_file **out, const char *path, const char *buf, size_t len, const tm_limits *limits,
		       tm_diag_list *diags)
{
	tm_file *f = NULL;
	int rc = parse_stored(c, key, digest, &f, path, buf, len, limits, &e->diags);
	pthread_mutex_lock(&c->lock);
	e->file = f;
	e->rc = rc;
	e->gone = !buf && rc == TM_ENOTFOUND;
	e->private = !e->gone && (e->diags.oom || (f && !tm_file_has_positions(f)));
	e->ready = true;
	pthread_cond_broadcast(&c->ready);
	if (e->gone) {
		/* nothing to hand out: the caller reads the file and asks again with its bytes */
	} else if (e->private) {
		e->file = NULL; /* the first taker's own */
		*out = f;
		int r = replay_diags(e, diags);
		if (!rc)
			rc = r;
	} else {
		rc = take_shared(c, e, out, diags); /* f's one reference stays the entry's */
	}
	pthread_mutex_unlock(&c->lock);
	return rc;
}

/* The parse of (key, path) shared between the cache's takers: the first to ask parses (or loads),
 * the others wait and take its tree. A file that cannot be shared (see struct shared_file) is
 * parsed by each on its own. A file known on disk whose entry is gone (asked for without bytes)
 * is TM_ENOTFOUND for every asker without bytes, and the first to come back with them parses it
 * for all, so the sides of a diff still parse it once. */
static int parse_shared(tm_parse_cache *c, const unsigned char key[KEY], uint64_t digest, tm_file **out,
			const char *path, const char *buf, size_t len, const tm_limits *limits, tm_diag_list *diags)
{
	size_t pl = strlen(path);
	struct shared_file *e = tm_malloc(sizeof(*e) + KEY + pl);
	if (!e)
		return TM_ENOMEM;
	memset(e, 0, sizeof(*e));
	memcpy(e->key, key, KEY);
	memcpy(e->key + KEY, path, pl);
	e->klen = KEY + pl;
	tm_diag_list_init(&e->diags);
	pthread_mutex_lock(&c->lock);
	struct shared_file *had = tm_hmap_get(&c->shared, e->key, e->klen);
	if (had) {
		tm_free(e);
		while (!had->ready)
			pthread_cond_wait(&c->ready, &c->lock);
		if (had->gone && buf) { /* this asker brings the bytes: it parses for all */
			had->gone = had->ready = false;
			pthread_mutex_unlock(&c->lock);
			return fill_shared(c, had, key, digest, out, path, buf, len, limits, diags);
		}
		int rc = had->gone ? TM_ENOTFOUND
			 : had->private || had->taken >= c->takers ? -1 : take_shared(c, had, out, diags);
		pthread_mutex_unlock(&c->lock);
		return rc != -1 ? rc : parse_stored(c, key, digest, out, path, buf, len, limits, diags);
	}
	if (tm_hmap_put(&c->shared, e->key, e->klen, e)) {
		pthread_mutex_unlock(&c->lock);
		tm_free(e);
		return parse_stored(c, key, digest, out, path, buf, len, limits, diags);
	}
	e->next = c->all;
	c->all = e;
	pthread_mutex_unlock(&c->lock);
	return fill_shared(c, e, key, digest, out, path, buf, len, limits, diags);
}

/* Through the shared files (a diff's sides) or the directory alone. */
static int parse_through(tm_parse_cache *c, const unsigned char key[KEY], uint64_t digest, tm_file **out,
			 const char *path, const char *buf, size_t len, const tm_limits *limits, tm_diag_list *diags)
{
	return c->takers ? parse_shared(c, key, digest, out, path, buf, len, limits, diags)
			 : parse_stored(c, key, digest, out, path, buf, len, limits, diags);
}

int tm_file_parse_cached(tm_parse_cache *c, tm_file **out, const char *path, const char *buf, size_t len,
			 const tm_limits *limits, tm_diag_list *diags)
{
	tm_limits deflim;
	if (!limits) {
		tm_limits_default(&deflim);
		limits = &deflim;
	}
	if (!c)
		return tm_file_parse(out, path, buf, len, limits, diags);
	*out = NULL;
	unsigned char key[KEY];
	if (make_key(c, limits, buf, len, key))
		return tm_file_parse(out, path, buf, len, limits, diags);
	return parse_through(c, key, tm_hash(buf, len), out, path, buf, len, limits, diags);
}

int tm_file_load_cached(tm_parse_cache *c, tm_file **out, const char *path, const char *display_path,
			const tm_limits *limits, tm_diag_list *diags)
{
	if (!c)
		return tm_file_load(out, path, display_path, limits, diags);
	tm_limits deflim;
	if (!limits) {
		tm_limits_default(&deflim);
		limits = &deflim;
	}
	*out = NULL;
	if (!c->dir) { /* in memory only: sharing, no entries and no files known */
		char *buf = NULL;
		size_t len = 0;
		int rc = tm_file__read(path, display_path, limits, diags, &buf, &len);
		if (!rc)
			rc = tm_file_parse_cached(c, out, display_path ? display_path : path, buf, len, limits, diags);
		tm_free(buf);
		return rc;
	}
	const char *shown = display_path ? display_path : path;
	struct stat before, after;
	int fd = tm_file__open(path, shown, &before, diags);
	if (fd < 0)
		return TM_EIO;
	char *buf = NULL;
	size_t len = 0;
	int rc = tm_file__read_fd(fd, &before, shown, limits, diags, &buf, &len);
	bool stat_ok = !rc && !fstat(fd, &after);
	close(fd);
	unsigned char key[KEY];
	if (!rc && make_key(c, limits, buf, len, key))
		rc = tm_file_parse(out, shown, buf, len, limits, diags);
	else if (!rc) {
		uint64_t digest = tm_hash(buf, len);
		rc = parse_through(c, key, digest, out, shown, buf, len, limits, diags);
		if (!rc && stat_ok)
			known_record(c, &before, &after, limits, key, digest);
	}
	tm_free(buf);
	return rc;
}

int tm_file_load_known(tm_parse_cache *c, tm_file **out, const char *path, const char *display_path,
		       const tm_limits *limits, tm_diag_list *diags)
{
	*out = NULL;
	if (!c || !c->dir)
		return TM_ENOTFOUND;
	tm_limits deflim;
	if (!limits) {
		tm_limits_default(&deflim);
		limits = &deflim;
	}
	/* the identity without opening it: a link, a FIFO or a device is no regular file here either
	 * (lstat, as tm_open_regular's O_NOFOLLOW), and any change of mode moves the change time */
	struct stat st;
	if (lstat(path, &st) || !S_ISREG(st.st_mode))
		return TM_ENOTFOUND; /* the read that follows says why */
	unsigned char key[KEY];
	uint64_t digest = 0;
	if (!known_lookup(c, &st, limits, key, &digest))
		return TM_ENOTFOUND;
	const char *shown = display_path ? display_path : path;
	return parse_through(c, key, digest, out, shown, NULL, 0, limits, diags);
}
