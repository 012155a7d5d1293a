/*
 * file.c - opening input files an attacker may have written.
 *
 * Every file trustmap reads as input (the walk's candidates, sniffed heads, CODEOWNERS, files a
 * $ref names) is opened here: O_NOFOLLOW so a symlink swapped in after the walk or after
 * realpath() checked it is refused rather than followed out of the root, O_NONBLOCK so a FIFO or
 * a device cannot block the open, then fstat on the descriptor itself so what is read is what
 * was checked: a regular file, nothing else.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif

int tm_open_regular(const char *path, struct stat *st, const char **why)
{
	*why = NULL;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		*why = errno == ELOOP ? "a symbolic link; not followed" : strerror(errno);
		return -1;
	}
	if (fstat(fd, st) != 0) {
		*why = strerror(errno);
		close(fd);
		return -1;
	}
	if (!S_ISREG(st->st_mode)) {
		*why = S_ISFIFO(st->st_mode) ? "a FIFO, not a regular file" : "not a regular file";
		close(fd);
		return -1;
	}
	/* O_NONBLOCK stays: a regular file's reads do not block (two system calls a file saved), and
	 * a file system that answers one with EAGAIN anyway has the flag cleared then (tm_read_fd) */
	return fd;
}

int tm_read_fd(int fd, char *buf, size_t want, size_t *got)
{
	*got = 0;
	while (*got < want) {
		ssize_t r = read(fd, buf + *got, want - *got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) { /* see tm_open_regular */
			int fl = fcntl(fd, F_GETFL);
			if (fl >= 0 && (fl & O_NONBLOCK) && fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == 0)
				continue;
		}
		if (r < 0)
			return TM_EIO;
		if (r == 0)
			break;
		*got += (size_t)r;
	}
	return 0;
}
