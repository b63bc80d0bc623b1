/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmexit's commands: its own (kvmexit.c), and those a policy brings for its own maps
 * (policies/cli/, such as hypercall_filter's rule and log), which the generic CLI runs
 * without knowing any policy's maps.
 */
#ifndef KVMEXIT_COMMANDS_H
#define KVMEXIT_COMMANDS_H

#include <stddef.h>

#include "args.h"

struct command {
	const char *name;
	int (*run)(struct options *opt);
	int max_args;		/* after the command's name */
};

/* The commands of the policies that have some (policies/cli/commands.c). */
extern const struct command policy_commands[];
extern const size_t nr_policy_commands;

#endif
