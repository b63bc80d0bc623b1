// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for what kvmexit parses from its user, built for the build machine with
 * AddressSanitizer and UBSan: the command line (parse_args()), --set values
 * (kvmexit_policy_set() on a real policy object, given by KVMEXIT_FUZZ_POLICY) and rules
 * files (parse_rules(), what kvmexit rule load reads).
 *
 * Input: the first byte picks the parser (modulo 3). For the command line, the rest is the
 * arguments after "kvmexit", separated by NUL bytes; for --set, NAME NUL VALUE, where a NAME
 * of one byte from 1 to FUZZ_NAMES picks one of the policy's variables; for a rules file,
 * its text. A crash, a sanitizer report, a leak, or a result that breaks the parser's
 * contract (checked here) is a finding.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "hypercall_filter.h"
#include "libkvmexit.h"
#include "rules.h"

#define MAX_ARGS	32

/* Variables of tests/bpf/hvc_policy.bpf.c: a u32 array, a u32, ints; and a missing one. */
static const char *const names[] = { "seen", "nr_seen", "bad_reg_ret", "no_such" };
#define FUZZ_NAMES	(sizeof(names) / sizeof(names[0]))

static struct kvmexit_policy *policy;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *path = getenv("KVMEXIT_FUZZ_POLICY");
	int err;

	if (!path) {
		fprintf(stderr, "fuzz_cli: set KVMEXIT_FUZZ_POLICY to a policy object\n");
		exit(2);
	}
	err = kvmexit_policy_open(path, &policy);
	if (err) {
		fprintf(stderr, "fuzz_cli: %s: %s\n", path, strerror(-err));
		exit(2);
	}
	return 0;
}

/* Forget getopt's state from the previous input (it may have stopped mid-argument). */
static void reset_getopt(void)
{
	static char *none[] = { "kvmexit", NULL };

	optind = 0;
	getopt(1, none, "");
}

static void fuzz_args(const char *data, size_t size)
{
	char *copy = malloc(size + 1), *argv[MAX_ARGS + 2] = { "kvmexit" };
	struct options opt;
	int argc = 1, ret;
	size_t i;

	if (!copy)
		return;
	memcpy(copy, data, size);
	copy[size] = 0;
	for (i = 0; i <= size && argc <= MAX_ARGS; i += strlen(copy + i) + 1)
		argv[argc++] = copy + i;
	argv[argc] = NULL;

	reset_getopt();
	ret = parse_args(argc, argv, &opt);
	if (ret == ARGS_RUN &&
	    (!opt.cmd || opt.pid < 0 || opt.vm_fd < -1 || opt.watch < 0 ||
	     opt.nr_sets >= argc || opt.nr_args >= argc || (opt.policy && opt.policy == opt.cmd)))
		abort();	/* accepted, but not as parse_args() promises */
	if (ret != ARGS_RUN && (ret < EXIT_OK || ret > EXIT_FAIL))
		abort();
	free_args(&opt);
	free(copy);
}

static void fuzz_set(const char *data, size_t size)
{
	char *copy = malloc(size + 2), *name, *value;
	int err;

	if (!copy)
		return;
	memcpy(copy, data, size);
	copy[size] = copy[size + 1] = 0;
	name = copy;
	value = copy + strlen(copy) + 1;
	if (strlen(name) == 1 && name[0] >= 1 && (unsigned char)name[0] <= FUZZ_NAMES)
		name = (char *)names[name[0] - 1];
	err = kvmexit_policy_set(policy, name, value);
	if (err && err != -ENOENT && err != -EINVAL && err != -ERANGE && err != -ENOMEM)
		abort();	/* an error the CLI cannot explain */
	free(copy);
}

/* @rules as kvmexit rule show prints them (each id of a name on a line of its own). */
static char *print_rules(const struct file_rule *rules, int n, size_t *len)
{
	struct spec one = { .nr_ids = 1 };
	char *text = NULL;
	FILE *out = open_memstream(&text, len);
	int i, j;

	if (!out)
		abort();
	for (i = 0; i < n; i++) {
		for (j = 0; j < rules[i].spec.nr_ids; j++) {
			one.ids[0] = rules[i].spec.ids[j];
			print_rule(out, &one, rules[i].action);
		}
		if (!rules[i].spec.nr_ids)
			print_rule(out, &rules[i].spec, rules[i].action);
	}
	fclose(out);
	return text;
}

/* Parse @size bytes of @data as a rules file: -1, or the number of rules in *@rules. */
static int parse_text(const char *data, size_t size, struct file_rule **rules)
{
	FILE *file = fmemopen((void *)data, size, "r");
	int n, ret;

	if (!file)
		return -1;
	n = parse_rules(file, "fuzz.rules", rules, &ret);
	fclose(file);
	if ((n < 0) != (ret != EXIT_OK) || (n < 0 && ret != EXIT_POLICY && ret != EXIT_FAIL))
		abort();	/* refused without an exit code that says so, or the reverse */
	return n;
}

/*
 * A rules file: what parse_rules() accepts is within what the filter's maps hold, and what
 * kvmexit rule show would print of it reads back as the same rules (printed the same).
 */
static void fuzz_rules(const char *data, size_t size)
{
	struct file_rule *rules, *again;
	int n, m, i, ids = 0, ranges = 0;
	char *text, *text_again;
	size_t len, len_again;

	if (!size)
		return;
	n = parse_text(data, size, &rules);
	if (n < 0)
		return;
	for (i = 0; i < n; i++) {
		if (!action_name(rules[i].action) || rules[i].line <= (i ? rules[i - 1].line : 0) ||
		    (!rules[i].spec.nr_ids && rules[i].spec.first > rules[i].spec.last))
			abort();
		ids += rules[i].spec.nr_ids;
		ranges += !rules[i].spec.nr_ids;
	}
	if (ids > FILTER_MAX_RULES || ranges > FILTER_MAX_RANGES)
		abort();
	text = print_rules(rules, n, &len);
	m = parse_text(text, len, &again);
	if (m < 0)
		abort();	/* show's output does not load */
	text_again = print_rules(again, m, &len_again);
	if (len != len_again || memcmp(text, text_again, len))
		abort();	/* it loads as other rules */
	free(text_again);
	free(again);
	free(text);
	free(rules);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	switch (data[0] % 3) {
	case 0:
		fuzz_args((const char *)data + 1, size - 1);
		break;
	case 1:
		fuzz_set((const char *)data + 1, size - 1);
		break;
	default:
		fuzz_rules((const char *)data + 1, size - 1);
		break;
	}
	return 0;
}
