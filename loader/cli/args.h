/* SPDX-License-Identifier: GPL-2.0 */
/* kvmexit's command line: its options, exit codes and parser (fuzzed on its own). */
#ifndef KVMEXIT_ARGS_H
#define KVMEXIT_ARGS_H

#include <stdbool.h>
#include <sys/types.h>

enum exit_code {
	EXIT_OK = 0,
	EXIT_USAGE = 1,		/* bad command line */
	EXIT_NO_VM = 2,		/* no such process, no VM in it, or several and no --vm */
	EXIT_PERM = 3,		/* no ptrace rights over the VMM, or not allowed to attach */
	EXIT_POLICY = 4,	/* the policy object, a --set, or the verifier refused */
	EXIT_STATE = 5,		/* the policy is there already, or not; a full chain */
	EXIT_FAIL = 6,		/* anything else */
};

struct options {
	const char *cmd;
	pid_t pid;
	int vm_fd;
	bool json, pretty, verbose;
	int watch;
	bool follow;		/* --follow: kvmexit log reads on until interrupted */
	bool fresh;		/* --fresh: replace without carrying the state over */
	const char *vm_name;	/* --vm-name NAME: the VM QEMU's -name names */
	const char *cgroup;	/* --cgroup PATH: the target is a cgroup */
	bool host;		/* --host: the target is every VM */
	bool first;		/* --first, --before NAME, --after NAME: the place */
	const char *before, *after;
	const char *name;	/* --name NAME: which of the target's policies */
	const char *policy;	/* the first argument after the command (args[0]), or NULL */
	char **args;		/* the arguments after the command (allocated) */
	int nr_args;
	char **sets;		/* the --set arguments, in order (allocated) */
	int nr_sets;
};

/* parse_args(): the command line is good, run opt->cmd. */
#define ARGS_RUN	(-1)

/*
 * Parse @argv into @opt. Returns ARGS_RUN, or the exit code when there is nothing to run:
 * usage or --help was printed, or the command line is bad (said on stderr). The caller
 * calls free_args() either way.
 */
int parse_args(int argc, char **argv, struct options *opt);
void free_args(struct options *opt);
/* More than @max arguments after the command: say so, EXIT_USAGE; else EXIT_OK. */
int check_args(const struct options *opt, int max);

/*
 * A number of kvmexit's command line and rules files, all of @s up to @max: decimal, or
 * hexadecimal after 0x. A leading 0 is a decimal digit, not C's octal prefix ("010" is
 * ten). False for anything else (signs, spaces, an empty string).
 */
bool parse_uint(const char *s, unsigned long long max, unsigned long long *out);

/* Print "kvmexit: " and the message on stderr; returns @code. */
int fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
