/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/* What the files of libkvmexit share and do not export. */
#ifndef LIBKVMEXIT_INTERNAL_H
#define LIBKVMEXIT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "libkvmexit.h"

struct bpf_map;

struct kvmexit_policy {
	struct bpf_object *obj;
	struct bpf_map *ops;
	struct bpf_link *link;
	char *log;
	bool loaded;
	/* The globals kvmexit_policy_set() set: a replace does not carry them over. */
	char **set_names;
	size_t nr_set;
};

#define LOG_SIZE	(1 << 20)

/* Where a replaced policy's state is: the policy itself in this process, or its pins. */
struct state_source {
	const struct kvmexit_policy *policy;
	const char *link_path;	/* where policy is NULL: the maps pinned beside it */
};

/*
 * Before @policy is loaded to replace the running policy @src: give it that policy's maps
 * and globals (see carry.c). 0, or -EPROTO with kvmexit_policy_log() saying what does not
 * fit, or another -errno.
 */
int carry_state(struct kvmexit_policy *policy, const struct state_source *src);


/*
 * Call @fn with the path and fd of each map or program pinned beside the link pinned at
 * @link_path (LINK_PATH-NAME, where NAME has no dash, and the object is not a link), until
 * it returns nonzero, which is returned. The fd is closed after the call.
 */
int for_each_beside(const char *link_path, int (*fn)(const char *path, int fd, void *arg),
		    void *arg);

#endif
