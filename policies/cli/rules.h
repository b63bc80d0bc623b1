/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypercall filter's run-time rules as text: what kvmexit rule add, del and load read
 * and kvmexit rule show writes ("ID|FIRST-LAST|NAME ACTION", # comments), so that what
 * show printed loads back as it was. Parsing only, without the filter's maps (fuzzed on
 * its own).
 */
#ifndef KVMEXIT_RULES_H
#define KVMEXIT_RULES_H

#include <stdint.h>
#include <stdio.h>

#include "smccc.h"

/* What a rule is for: ids (one, or two for a name of both conventions), or a range. */
struct spec {
	uint32_t ids[SMCCC_MAX_IDS];
	int nr_ids;			/* 0: the range first..last */
	uint32_t first, last;
	const char *text;		/* as given */
};

/* A rule of a file, before any is applied. */
struct file_rule {
	struct spec spec;
	uint32_t action;
	int line;
};

/* The longest line of a rules file, its line end included. */
#define RULES_LINE_MAX	1024

/* "allow", "deny", "forward"; NULL for another value. */
const char *action_name(uint32_t action);
/* One of those into @action: 0, or -1 and a message in @err. */
int parse_action(const char *s, uint32_t *action, char *err, size_t size);
/*
 * ID, FIRST-LAST (ids or names of one id) or an SMCCC NAME: 0, or -1 and a message in
 * @err. An id is a number as parse_uint() reads it: decimal, or hexadecimal after 0x.
 */
int parse_spec(const char *s, struct spec *spec, char *err, size_t size);
/*
 * A rules file, read from @file (named @path in messages) whole into *@out (allocated, the
 * caller frees it): one "ID|FIRST-LAST|NAME ACTION" a line, # comments, blank lines, CRLF
 * line ends; each id or range once; no more ids or ranges than the filter's maps hold.
 * Returns the number of rules, or -1 with the exit code (said on stderr) in *@ret.
 */
int parse_rules(FILE *file, const char *path, struct file_rule **out, int *ret);
/*
 * A rule as rule load reads it back: "0x84000003 deny  # PSCI_CPU_ON", "0x1-0x2 allow";
 * one whose action kvmexit does not know as a comment.
 */
void print_rule(FILE *out, const struct spec *spec, uint32_t action);

#endif
