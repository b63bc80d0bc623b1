// SPDX-License-Identifier: GPL-2.0
/*
 * replace-pinned LINK POLICY vm PID FD | cgroup PATH: replace the policy whose link is
 * pinned at LINK with POLICY through libkvmexit, aimed at the VM at fd FD of process PID
 * (taken with pidfd_getfd()) or at the cgroup v2 at PATH, whatever LINK's own target: what
 * kvmexit replace never asks, for the tests of the kernel's refusal to move a policy to
 * another target. Prints the outcome; exits with the errno of the failure, 0 if replaced.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libkvmexit.h"

static int usage(void)
{
	fprintf(stderr, "usage: replace-pinned LINK POLICY vm PID FD | cgroup PATH\n");
	return 255;
}

/* The fd @fd of process @pid, duplicated here; or -errno. */
static int take_fd(pid_t pid, int fd)
{
	int pidfd = syscall(SYS_pidfd_open, pid, 0), ret;

	if (pidfd < 0)
		return -errno;
	ret = syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	ret = ret < 0 ? -errno : ret;
	close(pidfd);
	return ret;
}

int main(int argc, char **argv)
{
	struct kvmexit_attach_opts opts = { .sz = sizeof(opts) };
	struct kvmexit_policy *policy;
	int err;

	if (argc == 6 && !strcmp(argv[3], "vm")) {
		opts.target = KVMEXIT_TARGET_VM;
		opts.fd = take_fd(atoi(argv[4]), atoi(argv[5]));
	} else if (argc == 5 && !strcmp(argv[3], "cgroup")) {
		opts.target = KVMEXIT_TARGET_CGROUP;
		opts.fd = open(argv[4], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		opts.fd = opts.fd < 0 ? -errno : opts.fd;
	} else {
		return usage();
	}
	if (opts.fd < 0) {
		fprintf(stderr, "replace-pinned: the target: %s\n", strerror(-opts.fd));
		return 255;
	}
	err = kvmexit_policy_open(argv[2], &policy);
	if (err) {
		fprintf(stderr, "replace-pinned: %s: %s\n", argv[2], strerror(-err));
		return 255;
	}
	err = kvmexit_policy_replace_pinned_opts(argv[1], policy, &opts);
	if (err)
		printf("replace-pinned: %s: %s (errno %d)\n", argv[1], strerror(-err), -err);
	else
		printf("replace-pinned: %s: replaced\n", argv[1]);
	kvmexit_policy_close(policy);
	close(opts.fd);
	return -err;
}
