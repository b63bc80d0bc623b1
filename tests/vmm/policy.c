// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
