// SPDX-License-Identifier: GPL-2.0
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "policy.h"

/* libbpf's own messages: warnings only, so a verifier log shows when a load fails. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

struct bpf_link *policy_attach(struct bpf_map *ops)
{
	struct bpf_link *link = bpf_map__attach_struct_ops(ops);

	if (!link)
		die("%s: attach: %s", bpf_map__name(ops), strerror(errno));
	return link;
}

void policy_init(void)
{
	libbpf_set_print(libbpf_print);
}

#define FASTPATH_PARAM	"/sys/module/kvm/parameters/exit_bpf_fastpath"

void set_exit_bpf_fastpath(bool on)
{
	int fd = open(FASTPATH_PARAM, O_WRONLY);

	if (fd < 0)
		die("%s: %s (a kernel without the fast path?)", FASTPATH_PARAM, strerror(errno));
	if (write(fd, on ? "Y" : "N", 1) != 1)
		die("%s: write: %s", FASTPATH_PARAM, strerror(errno));
	close(fd);
}
