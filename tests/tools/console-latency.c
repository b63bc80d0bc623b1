// SPDX-License-Identifier: GPL-2.0
/*
 * console-latency INPUT OUTPUT N: how long a typed byte takes to come back as the guest's
 * echo. Writes N letters, one at a time, to INPUT (the FIFO kvmexit console reads as its
 * stdin), each after the previous one's echo appeared in OUTPUT (the file its stdout goes
 * to), and prints the median and maximum round trip in milliseconds (CLOCK_MONOTONIC:
 * wall clock, here an emulated machine's). The guest must be at a shell prompt: the line
 * starts with '#' (not timed), so the letters make a comment, ended with a newline.
 * Exits 1 if an echo does not come within 60 s.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define ECHO_LIMIT_NS	(60 * 1000000000LL)

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Wait until @c appears in @out after what was read so far; 0, or -1 after the limit. */
static int wait_echo(int out, char c)
{
	long long start = now_ns();
	struct timespec pause = { 0, 200 * 1000 };
	char buf[256];
	ssize_t n, i;

	while (now_ns() - start < ECHO_LIMIT_NS) {
		n = read(out, buf, sizeof(buf));
		for (i = 0; i < n; i++)
			if (buf[i] == c)
				return 0;
		if (n <= 0)
			nanosleep(&pause, NULL);
	}
	return -1;
}

static int compare(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	long long *rtt, t0;
	int in, out, n, i;
	char c;

	if (argc != 4 || (n = atoi(argv[3])) <= 0) {
		fprintf(stderr, "usage: console-latency INPUT OUTPUT N\n");
		return 2;
	}
	in = open(argv[1], O_WRONLY);
	out = open(argv[2], O_RDONLY);
	rtt = calloc(n, sizeof(*rtt));
	if (in < 0 || out < 0 || !rtt) {
		perror("console-latency");
		return 2;
	}
	lseek(out, 0, SEEK_END);
	if (write(in, "#", 1) != 1 || wait_echo(out, '#')) {
		fprintf(stderr, "console-latency: no echo of '#'\n");
		return 1;
	}
	for (i = 0; i < n; i++) {
		c = 'a' + i % 26;
		t0 = now_ns();
		if (write(in, &c, 1) != 1 || wait_echo(out, c)) {
			fprintf(stderr, "console-latency: no echo of byte %d ('%c')\n", i, c);
			return 1;
		}
		rtt[i] = now_ns() - t0;
	}
	if (write(in, "\n", 1) != 1)
		return 1;
	qsort(rtt, n, sizeof(*rtt), compare);
	printf("console-latency: %d bytes, typed to echoed: median %.2f ms, max %.2f ms "
	       "(wall clock, emulated machine)\n", n, rtt[n / 2] / 1e6, rtt[n - 1] / 1e6);
	return 0;
}
