// SPDX-License-Identifier: GPL-2.0
/*
 * with-caps CAP[,CAP...] COMMAND [ARGS]: run COMMAND as root (uid 0) with only the named
 * capabilities (e.g. bpf,perfmon; "none" for none). Every other capability is dropped from
 * the bounding set, so the root COMMAND is given only these at execve().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <linux/capability.h>

static const struct {
	const char *name;
	int cap;
} caps[] = {
	{ "bpf", CAP_BPF },
	{ "perfmon", CAP_PERFMON },
	{ "sys_admin", CAP_SYS_ADMIN },
	{ "sys_ptrace", CAP_SYS_PTRACE },
	{ "net_admin", CAP_NET_ADMIN },
};
#define NR_CAPS	(sizeof(caps) / sizeof(caps[0]))

/* Is capability @cap in the comma-separated list @keep? Dies on an unknown name. */
static int kept(const char *keep, int cap)
{
	char *list = strdup(keep), *name, *save;
	unsigned int i;
	int found = 0;

	if (!list)
		exit(2);
	for (name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		if (!strcmp(name, "none"))
			continue;
		for (i = 0; i < NR_CAPS && strcmp(caps[i].name, name); i++)
			;
		if (i == NR_CAPS) {
			fprintf(stderr, "with-caps: unknown capability %s\n", name);
			exit(2);
		}
		found |= caps[i].cap == cap;
	}
	free(list);
	return found;
}

int main(int argc, char **argv)
{
	int cap;

	if (argc < 3) {
		fprintf(stderr, "usage: with-caps CAP[,CAP...]|none COMMAND [ARGS]\n");
		return 2;
	}
	if (getuid()) {
		fprintf(stderr, "with-caps: must run as root\n");
		return 2;
	}
	for (cap = 0; prctl(PR_CAPBSET_READ, cap) >= 0; cap++) {
		if (kept(argv[1], cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap)) {
			fprintf(stderr, "with-caps: dropping capability %d: %s\n", cap,
				strerror(errno));
			return 2;
		}
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "with-caps: %s: %s\n", argv[2], strerror(errno));
	return 2;
}
