/*
 * fsys.c - the disk and in-memory implementations of tm_fsys, and lexical path joining.
 *
 * Invariant of the disk implementation: it reads only below its root. Callers' paths are already
 * normalised by tm_fsys_join (no ".."), so the only way out is a symbolic link: every access
 * resolves the path with realpath() and refuses it unless the result is the root or below it, and
 * files are then opened with tm_open_regular (O_NOFOLLOW, regular files only), so a link swapped
 * in between the check and the open is refused too.
 */
#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "render/fsys.h"

int tm_fsys_join(tm_strbuf *sb, const char *base, const char *rel)
{
	tm_strbuf_reset(sb);
	if (rel[0] == '/')
		return TM_EINVALID;
	const char *parts[2] = {base ? base : "", rel};
	for (int p = 0; p < 2; p++) {
		const char *s = parts[p];
		while (*s) {
			const char *e = strchr(s, '/');
			size_t n = e ? (size_t)(e - s) : strlen(s);
			if (n == 0 || (n == 1 && s[0] == '.')) {
				/* nothing */
			} else if (n == 2 && s[0] == '.' && s[1] == '.') {
				if (sb->len == 0)
					return TM_EINVALID;
				char *slash = sb->data ? strrchr(sb->data, '/') : NULL;
				sb->len = slash ? (size_t)(slash - sb->data) : 0;
				sb->data[sb->len] = '\0';
			} else {
				if (sb->len)
					tm_strbuf_putc(sb, '/');
				tm_strbuf_put(sb, s, n);
			}
			s += n;
			if (*s == '/')
				s++;
		}
	}
	if (!sb->data)
		tm_strbuf_puts(sb, "");
	return sb->oom ? TM_ENOMEM : 0;
}

/* ---- disk ---- */

typedef struct {
	char *root;
	size_t root_len;
} disk;

/* The absolute path of rel if it resolves inside the root, else NULL (*why says why). tm_free. */
static char *disk_path(const disk *d, const char *rel, bool resolve, const char **why)
{
	tm_strbuf sb = TM_STRBUF_INIT;
	tm_strbuf_puts(&sb, d->root);
	if (rel[0]) {
		tm_strbuf_putc(&sb, '/');
		tm_strbuf_puts(&sb, rel);
	}
	char *path = tm_strbuf_take(&sb);
	if (!path || !resolve) {
		*why = path ? NULL : "out of memory";
		return path;
	}
	char real[PATH_MAX];
	if (!realpath(path, real)) {
		tm_free(path);
		*why = "no such file or directory";
		return NULL;
	}
	size_t n = strlen(real);
	if (!(n == d->root_len || (n > d->root_len && real[d->root_len] == '/')) ||
	    memcmp(real, d->root, d->root_len) != 0) {
		tm_free(path);
		*why = "a symbolic link leading out of the scan root; not followed";
		return NULL;
	}
	return path;
}

static int disk_read(const tm_fsys *fs, const char *path, size_t max, char **data, size_t *len,
                     const char **why)
{
	const disk *d = fs->ctx;
	*data = NULL;
	*len = 0;
	*why = NULL;
	/* resolve the directory only: the file itself must not be a link (tm_open_regular) */
	char *abs = disk_path(d, path, true, why);
	if (!abs)
		return *why && strcmp(*why, "no such file or directory") == 0 ? TM_ENOTFOUND
		                                                              : TM_EIO;
	tm_free(abs);
	abs = disk_path(d, path, false, why);
	if (!abs)
		return TM_ENOMEM;
	struct stat st;
	int fd = tm_open_regular(abs, &st, why);
	tm_free(abs);
	if (fd < 0)
		return TM_EIO;
	int rc = 0;
	if ((uint64_t)st.st_size > max) {
		rc = TM_ELIMIT;
		goto done;
	}
	size_t size = (size_t)st.st_size;
	*data = tm_malloc(size + 1);
	if (!*data) {
		rc = TM_ENOMEM;
		goto done;
	}
	if (tm_read_fd(fd, *data, size, len)) {
		*why = "read error";
		tm_free(*data);
		*data = NULL;
		rc = TM_EIO;
		goto done;
	}
	(*data)[*len] = '\0';
done:
	close(fd);
	return rc;
}

static tm_fsys_kind disk_kind(const tm_fsys *fs, const char *path)
{
	const char *why;
	char *abs = disk_path(fs->ctx, path, true, &why);
	if (!abs)
		return why && strcmp(why, "no such file or directory") == 0 ? TM_FSYS_NONE
		                                                            : TM_FSYS_REFUSED;
	struct stat st;
	tm_fsys_kind k = TM_FSYS_NONE;
	if (stat(abs, &st) == 0)
		k = S_ISDIR(st.st_mode)   ? TM_FSYS_DIR
		    : S_ISREG(st.st_mode) ? TM_FSYS_FILE
		                          : TM_FSYS_REFUSED;
	tm_free(abs);
	return k;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Pack names[0..n) (tm_free'd here) into one block: pointers then strings. */
static int pack(char **names, size_t n, char ***out)
{
	size_t bytes = (n ? n : 1) * sizeof(char *);
	for (size_t i = 0; i < n; i++)
		bytes += strlen(names[i]) + 1;
	char **block = tm_malloc(bytes);
	if (!block)
		return TM_ENOMEM;
	qsort(names, n, sizeof(char *), name_cmp);
	char *p = (char *)(block + (n ? n : 1));
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(names[i]) + 1;
		memcpy(p, names[i], l);
		block[i] = p;
		p += l;
	}
	*out = block;
	return 0;
}

static int disk_list(const tm_fsys *fs, const char *dir, char ***names, size_t *n)
{
	const char *why;
	*names = NULL;
	*n = 0;
	char *abs = disk_path(fs->ctx, dir, true, &why);
	if (!abs)
		return TM_ENOTFOUND;
	DIR *dh = opendir(abs);
	tm_free(abs);
	if (!dh)
		return TM_ENOTFOUND;
	char **tmp = NULL;
	size_t cap = 0, cnt = 0;
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(dh))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char *copy = NULL;
		if (TM_GROW(tmp, cap, cnt + 1) || !(copy = tm_malloc(strlen(e->d_name) + 1))) {
			rc = TM_ENOMEM;
			break;
		}
		memcpy(copy, e->d_name, strlen(e->d_name) + 1);
		tmp[cnt++] = copy;
	}
	closedir(dh);
	if (!rc)
		rc = pack(tmp, cnt, names);
	if (!rc)
		*n = cnt;
	for (size_t i = 0; i < cnt; i++)
		tm_free(tmp[i]);
	tm_free(tmp);
	return rc;
}

int tm_fsys_disk_init(tm_fsys *fs, const char *root)
{
	disk *d = tm_calloc(1, sizeof(*d));
	size_t n = strlen(root);
	while (n > 1 && root[n - 1] == '/')
		n--;
	if (!d || !(d->root = tm_malloc(n + 1))) {
		tm_free(d);
		return TM_ENOMEM;
	}
	memcpy(d->root, root, n);
	d->root[n] = '\0';
	d->root_len = n == 1 ? 0 : n; /* root "/": every resolved path is below it */
	fs->read = disk_read;
	fs->kind = disk_kind;
	fs->list = disk_list;
	fs->ctx = d;
	return 0;
}

void tm_fsys_disk_dispose(tm_fsys *fs)
{
	disk *d = fs->ctx;
	if (d) {
		tm_free(d->root);
		tm_free(d);
	}
	fs->ctx = NULL;
}

/* ---- memory ---- */

static int mem_read(const tm_fsys *fs, const char *path, size_t max, char **data, size_t *len,
                    const char **why)
{
	const tm_fsys_mem *m = fs->ctx;
	*data = NULL;
	*len = 0;
	*why = NULL;
	for (size_t i = 0; i < m->n; i++) {
		if (strcmp(m->files[i], path) != 0)
			continue;
		if (m->lens[i] > max)
			return TM_ELIMIT;
		if (!(*data = tm_malloc(m->lens[i] + 1)))
			return TM_ENOMEM;
		if (m->lens[i])
			memcpy(*data, m->data[i], m->lens[i]);
		(*data)[m->lens[i]] = '\0';
		*len = m->lens[i];
		return 0;
	}
	return TM_ENOTFOUND;
}

/* files[i] lies below dir: the offset of its rest, or 0. */
static size_t below(const char *file, const char *dir)
{
	size_t n = strlen(dir);
	if (n == 0)
		return file[0] ? (size_t)-1 : 0;
	return strncmp(file, dir, n) == 0 && file[n] == '/' && file[n + 1] ? n + 1 : 0;
}

static tm_fsys_kind mem_kind(const tm_fsys *fs, const char *path)
{
	const tm_fsys_mem *m = fs->ctx;
	if (!path[0])
		return TM_FSYS_DIR;
	for (size_t i = 0; i < m->n; i++) {
		if (strcmp(m->files[i], path) == 0)
			return TM_FSYS_FILE;
		if (below(m->files[i], path))
			return TM_FSYS_DIR;
	}
	return TM_FSYS_NONE;
}

static int mem_list(const tm_fsys *fs, const char *dir, char ***names, size_t *n)
{
	const tm_fsys_mem *m = fs->ctx;
	char **tmp = NULL;
	size_t cap = 0, cnt = 0;
	int rc = 0;
	*names = NULL;
	*n = 0;
	for (size_t i = 0; i < m->n && !rc; i++) {
		size_t off = below(m->files[i], dir);
		if (!off)
			continue;
		if (off == (size_t)-1)
			off = 0;
		const char *rest = m->files[i] + off;
		size_t len = strcspn(rest, "/");
		bool dup = false;
		for (size_t j = 0; j < cnt && !dup; j++)
			dup = strlen(tmp[j]) == len && memcmp(tmp[j], rest, len) == 0;
		if (dup)
			continue;
		char *copy = NULL;
		if (TM_GROW(tmp, cap, cnt + 1) || !(copy = tm_malloc(len + 1))) {
			rc = TM_ENOMEM;
			break;
		}
		memcpy(copy, rest, len);
		copy[len] = '\0';
		tmp[cnt++] = copy;
	}
	if (!rc && cnt == 0 && mem_kind(fs, dir) != TM_FSYS_DIR)
		rc = TM_ENOTFOUND;
	if (!rc)
		rc = pack(tmp, cnt, names);
	if (!rc)
		*n = cnt;
	for (size_t i = 0; i < cnt; i++)
		tm_free(tmp[i]);
	tm_free(tmp);
	return rc;
}

void tm_fsys_mem_init(tm_fsys *fs, const tm_fsys_mem *mem)
{
	fs->read = mem_read;
	fs->kind = mem_kind;
	fs->list = mem_list;
	fs->ctx = (void *)(uintptr_t)mem; /* read only: the ops take it back as const */
}

/* ---- a recording of another ---- */

static void log_text(tm_fsys_record *r, char op, const char *text)
{
	tm_sha256_update(&r->log, &op, 1);
	tm_sha256_update(&r->log, text, strlen(text) + 1);
}

static void log_u64(tm_fsys_record *r, uint64_t v)
{
	unsigned char b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	tm_sha256_update(&r->log, b, sizeof(b));
}

static int rec_read(const tm_fsys *fs, const char *path, size_t max, char **data, size_t *len, const char **why)
{
	tm_fsys_record *r = fs->ctx;
	*why = NULL;
	int rc = r->inner->read(r->inner, path, max, data, len, why);
	log_text(r, 'R', path);
	log_u64(r, max);
	log_u64(r, (uint64_t)(int64_t)rc);
	log_text(r, 'W', rc && *why ? *why : "");
	log_u64(r, rc ? 0 : *len);
	if (!rc && *len)
		tm_sha256_update(&r->log, *data, *len);
	return rc;
}

static tm_fsys_kind rec_kind(const tm_fsys *fs, const char *path)
{
	tm_fsys_record *r = fs->ctx;
	tm_fsys_kind k = r->inner->kind(r->inner, path);
	log_text(r, 'K', path);
	log_u64(r, (uint64_t)k);
	return k;
}

static int rec_list(const tm_fsys *fs, const char *dir, char ***names, size_t *n)
{
	tm_fsys_record *r = fs->ctx;
	int rc = r->inner->list(r->inner, dir, names, n);
	log_text(r, 'L', dir);
	log_u64(r, (uint64_t)(int64_t)rc);
	log_u64(r, rc ? 0 : *n);
	for (size_t i = 0; !rc && i < *n; i++)
		log_text(r, 'N', (*names)[i]);
	return rc;
}

void tm_fsys_record_init(tm_fsys_record *rec, const tm_fsys *inner)
{
	rec->inner = inner;
	tm_sha256_init(&rec->log);
	rec->fs.read = rec_read;
	rec->fs.kind = rec_kind;
	rec->fs.list = rec_list;
	rec->fs.ctx = rec;
}

void tm_fsys_record_digest(tm_fsys_record *rec, unsigned char out[32]) { tm_sha256_final(&rec->log, out); }
