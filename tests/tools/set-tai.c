// SPDX-License-Identifier: GPL-2.0
/*
 * set-tai SECONDS: set the kernel's TAI offset (CLOCK_TAI - CLOCK_REALTIME), as an NTP
 * daemon with the leap-second table does (adjtimex ADJ_TAI). The emulated host runs no NTP,
 * so its offset is 0 and CLOCK_TAI reads UTC, while policies/pl031.bpf.c starts its clock
 * from CLOCK_TAI less the 37 leap seconds since 1972 (BPF has no CLOCK_REALTIME): the demo
 * sets the offset a synchronised host has.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timex.h>

int main(int argc, char **argv)
{
	struct timex tx = { .modes = ADJ_TAI };
	char *end;

	if (argc != 2) {
		fprintf(stderr, "usage: set-tai SECONDS\n");
		return 1;
	}
	tx.constant = strtol(argv[1], &end, 10);
	if (*end || end == argv[1] || tx.constant < 0) {
		fprintf(stderr, "set-tai: %s: not a number of seconds\n", argv[1]);
		return 1;
	}
	if (adjtimex(&tx) < 0) {
		fprintf(stderr, "set-tai: adjtimex: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
