// SPDX-License-Identifier: GPL-2.0
/* The hypercall filter's run-time rules as text: see rules.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "hypercall_filter.h"
#include "rules.h"

const char *action_name(uint32_t action)
{
	switch (action) {
	case FILTER_ALLOW:
		return "allow";
	case FILTER_DENY:
		return "deny";
	case FILTER_FORWARD:
		return "forward";
	default:
		return NULL;
	}
}

int parse_action(const char *s, uint32_t *action, char *err, size_t size)
{
	for (*action = FILTER_ALLOW; *action <= FILTER_FORWARD; ++*action)
		if (!strcmp(s, action_name(*action)))
			return 0;
	snprintf(err, size, "%.64s: not an action (allow, deny, forward)", s);
	return -1;
}

/* A function id as a number (0x84000003, decimal too) or an SMCCC name: how many ids. */
static int parse_ids(const char *s, uint32_t ids[SMCCC_MAX_IDS], char *err, size_t size)
{
	unsigned long long v;
	int n;

	if (*s >= '0' && *s <= '9') {
		if (!parse_uint(s, UINT32_MAX, &v)) {
			snprintf(err, size, "%.64s: not a 32-bit function id (decimal, or 0x and "
				 "hexadecimal)", s);
			return 0;
		}
		ids[0] = v;
		return 1;
	}
	n = smccc_ids(s, ids);
	if (!n)
		snprintf(err, size, "%.64s: no such SMCCC name", s);
	return n;
}

int parse_spec(const char *s, struct spec *spec, char *err, size_t size)
{
	char first[64], *dash = strchr(s, '-');
	uint32_t last[SMCCC_MAX_IDS];
	int n, m;

	memset(spec, 0, sizeof(*spec));
	spec->text = s;
	if (!dash) {
		spec->nr_ids = parse_ids(s, spec->ids, err, size);
		return spec->nr_ids ? 0 : -1;
	}
	if (dash == s || dash - s >= (long)sizeof(first) || !dash[1]) {
		snprintf(err, size, "%.64s: not an id, a range FIRST-LAST or an SMCCC name", s);
		return -1;
	}
	snprintf(first, sizeof(first), "%.*s", (int)(dash - s), s);
	n = parse_ids(first, spec->ids, err, size);
	m = n ? parse_ids(dash + 1, last, err, size) : 0;
	if (!n || !m)
		return -1;
	if (n > 1 || m > 1) {
		snprintf(err, size, "%.64s: a range's ends are single ids (%.64s names %d)", s,
			 n > 1 ? first : dash + 1, n > 1 ? n : m);
		return -1;
	}
	spec->first = spec->ids[0];
	spec->last = last[0];
	spec->ids[0] = 0;
	if (spec->first > spec->last) {
		snprintf(err, size, "%.64s: the range ends before it starts", s);
		return -1;
	}
	return 0;
}

/* Does a rule of @rules[0..n) cover what @spec does (an id of it, or the same range)? */
static int earlier_rule(const struct file_rule *rules, int n, const struct spec *spec)
{
	int i, j, k;

	for (i = 0; i < n; i++) {
		if (!spec->nr_ids != !rules[i].spec.nr_ids)
			continue;
		if (!spec->nr_ids && rules[i].spec.first == spec->first &&
		    rules[i].spec.last == spec->last)
			return rules[i].line;
		for (j = 0; j < spec->nr_ids; j++)
			for (k = 0; k < rules[i].spec.nr_ids; k++)
				if (spec->ids[j] == rules[i].spec.ids[k])
					return rules[i].line;
	}
	return 0;
}

/*
 * Parse line @lineno (@len bytes) of @path into @r, after the @n rules before it, which set
 * *@ids ids and *@ranges ranges: an exit code; EXIT_OK for a blank line too (r->line 0).
 */
static int parse_line(char *line, size_t len, const char *path, int lineno,
		      const struct file_rule *rules, int n, int *ids, int *ranges,
		      struct file_rule *r)
{
	char *spec, *action, *extra, *save, err[256];
	int earlier;

	r->line = 0;
	if (len > RULES_LINE_MAX)
		return fail(EXIT_POLICY, "%s:%d: longer than %d characters", path, lineno,
			    RULES_LINE_MAX);
	if (strlen(line) != len)
		return fail(EXIT_POLICY, "%s:%d: a NUL byte (a rules file is text)", path, lineno);
	line[strcspn(line, "#\n")] = '\0';
	spec = strtok_r(line, " \t\r", &save);
	action = spec ? strtok_r(NULL, " \t\r", &save) : NULL;
	extra = action ? strtok_r(NULL, " \t\r", &save) : NULL;
	if (!spec)
		return EXIT_OK;
	if (!action || extra)
		return fail(EXIT_POLICY, "%s:%d: expected ID|FIRST-LAST|NAME ACTION", path, lineno);
	if (parse_spec(spec, &r->spec, err, sizeof(err)) ||
	    parse_action(action, &r->action, err, sizeof(err)))
		return fail(EXIT_POLICY, "%s:%d: %s", path, lineno, err);
	earlier = earlier_rule(rules, n, &r->spec);
	if (earlier)
		return fail(EXIT_POLICY, "%s:%d: %.64s: line %d has a rule for it already", path,
			    lineno, spec, earlier);
	*ids += r->spec.nr_ids;
	*ranges += !r->spec.nr_ids;
	if (*ids > FILTER_MAX_RULES || *ranges > FILTER_MAX_RANGES)
		return fail(EXIT_POLICY, "%s:%d: more %s than the filter holds (%d)", path,
			    lineno, *ranges > FILTER_MAX_RANGES ? "ranges" : "rules by id",
			    *ranges > FILTER_MAX_RANGES ? FILTER_MAX_RANGES : FILTER_MAX_RULES);
	r->spec.text = NULL;	/* in @line, which the next line overwrites */
	r->line = lineno;
	return EXIT_OK;
}

int parse_rules(FILE *file, const char *path, struct file_rule **out, int *ret)
{
	struct file_rule *rules = NULL, *grown;
	int n = 0, lineno = 0, ids = 0, ranges = 0;
	char *line = NULL;
	size_t size = 0;
	ssize_t len;

	*ret = EXIT_OK;
	while (!*ret && (len = getline(&line, &size, file)) >= 0) {
		grown = realloc(rules, (n + 1) * sizeof(*rules));
		if (!grown) {
			*ret = fail(EXIT_FAIL, "out of memory");
			break;
		}
		rules = grown;
		*ret = parse_line(line, len, path, ++lineno, rules, n, &ids, &ranges, &rules[n]);
		if (!*ret && rules[n].line)
			n++;
	}
	if (!*ret && ferror(file))
		*ret = fail(EXIT_USAGE, "reading %s: %s", path, strerror(errno));
	free(line);
	if (*ret) {
		free(rules);
		return -1;
	}
	*out = rules;
	return n;
}

void print_rule(FILE *out, const struct spec *spec, uint32_t action)
{
	const char *name = spec->nr_ids ? smccc_name(spec->ids[0]) : NULL;
	char what[32];

	if (spec->nr_ids)
		snprintf(what, sizeof(what), "%#x", spec->ids[0]);
	else
		snprintf(what, sizeof(what), "%#x-%#x", spec->first, spec->last);
	if (!action_name(action))
		fprintf(out, "# %s: invalid action %u (ignored)\n", what, action);
	else
		fprintf(out, "%s %s%s%s\n", what, action_name(action), name ? "  # " : "",
			name ?: "");
}
