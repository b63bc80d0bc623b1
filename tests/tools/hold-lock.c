// SPDX-License-Identifier: GPL-2.0
/*
 * hold-lock DIR SECONDS: take the lock kvmexit takes on a target's pin directory DIR (an
 * exclusive flock(), see lock_target() and open_filter()), print "locked", hold it SECONDS,
 * print "released" and let go: for the tests that another kvmexit waits meanwhile.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: hold-lock DIR SECONDS\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || flock(fd, LOCK_EX)) {
		fprintf(stderr, "hold-lock: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	printf("locked\n");
	fflush(stdout);
	sleep(atoi(argv[2]));
	/* Said before the lock goes: whoever waited for it finishes after this. */
	printf("released\n");
	fflush(stdout);
	close(fd);
	return 0;
}
