// SPDX-License-Identifier: GPL-2.0
/*
 * The kvmexit commands the policies bring, beside them: hypercall_filter's run-time rules
 * (rule, filter.c and rules.c) and audit log (log, filter_log.c).
 */
#include "commands.h"
#include "filter.h"

const struct command policy_commands[] = {
	{ "rule", cmd_rule, 3 },
	{ "log", cmd_log, 0 },
};

const size_t nr_policy_commands = sizeof(policy_commands) / sizeof(policy_commands[0]);
