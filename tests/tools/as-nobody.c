// SPDX-License-Identifier: GPL-2.0
/* as-nobody COMMAND [ARGS]: run COMMAND as uid/gid 65534 with no capabilities. */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: as-nobody COMMAND [ARGS]\n");
		return 2;
	}
	if (setgroups(0, NULL) || setgid(65534) || setuid(65534)) {
		fprintf(stderr, "as-nobody: dropping privileges: %s\n", strerror(errno));
		return 2;
	}
	execvp(argv[1], argv + 1);
	fprintf(stderr, "as-nobody: %s: %s\n", argv[1], strerror(errno));
	return 2;
}
