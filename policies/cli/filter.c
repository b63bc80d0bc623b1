// SPDX-License-Identifier: GPL-2.0
/*
 * kvmexit rule: show and change the run-time rules of a hypercall filter, by function id,
 * id range or SMCCC name, one at a time or from a file; and finding the filter's maps.
 * Rules by id go to filter_rules, ranges to the first free slot of filter_ranges (the
 * filter tries them in slot order).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>

#include "filter.h"
#include "hypercall_filter.h"
#include "json.h"
#include "pins.h"
#include "rules.h"
#include "smccc.h"

#define FILTER_POLICY	"hypercall_filter"

/* Read @names from the global data map @fd, by its BTF: 0, or -errno (-ENOENT: not there). */
static int read_globals(int fd, const char *const *names, uint64_t *values, int n)
{
	const struct btf_var_secinfo *vsi;
	struct bpf_map_info info = {};
	uint32_t len = sizeof(info), key = 0;
	const struct btf_type *sec, *var;
	int j, found = 0, err;
	struct btf *btf;
	unsigned int i;
	char *data;

	if (bpf_map_get_info_by_fd(fd, &info, &len))
		return -errno;
	btf = btf__load_from_kernel_by_id(info.btf_id);
	if (!btf)
		return -errno;
	sec = btf__type_by_id(btf, info.btf_value_type_id);
	data = malloc(info.value_size);
	err = !sec || !btf_is_datasec(sec) ? -ENOENT : !data ? -ENOMEM : 0;
	if (!err && bpf_map_lookup_elem(fd, &key, data))
		err = -errno;
	vsi = err ? NULL : btf_var_secinfos(sec);
	for (i = 0; vsi && i < btf_vlen(sec); i++, vsi++) {
		var = btf__type_by_id(btf, vsi->type);
		for (j = 0; j < n; j++) {
			if (strcmp(btf__name_by_offset(btf, var->name_off), names[j]) ||
			    vsi->size != sizeof(uint64_t) ||
			    (size_t)vsi->offset + vsi->size > info.value_size)
				continue;
			memcpy(&values[j], data + vsi->offset, sizeof(uint64_t));
			found++;
		}
	}
	if (!err && found != n)
		err = -ENOENT;
	free(data);
	btf__free(btf);
	return err;
}

int filter_globals(const struct filter *f, const char *const *names, uint64_t *values, int n)
{
	int err = read_globals(f->bss_fd, names, values, n);

	if (err)
		return fail(EXIT_FAIL, "%s: the counters of %s: %s", f->t.what, f->name,
			    strerror(-err));
	return EXIT_OK;
}

/*
 * The filter's .bss, pinned as NAME_OBJ_bss (OBJ: the object's name as libbpf cut it): the
 * one whose BTF has the log's counters. An fd, or -errno.
 */
static int open_globals(const struct filter *f)
{
	static const char *const names[] = { "log_dropped" };
	char prefix[NAME_MAX + 2], path[3 * PATH_MAX];
	int fd = -ENOENT;
	struct dirent *d;
	uint64_t value;
	size_t len;
	DIR *dp;

	snprintf(prefix, sizeof(prefix), "%s-", f->name);
	dp = opendir(f->t.dir);
	while (dp && fd < 0 && (d = readdir(dp))) {
		len = strlen(d->d_name);
		if (strncmp(d->d_name, prefix, strlen(prefix)) || len < 4 ||
		    strcmp(d->d_name + len - 4, "_bss"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", f->t.dir, d->d_name);
		fd = bpf_obj_get(path);
		if (fd >= 0 && read_globals(fd, names, &value, 1)) {
			close(fd);
			fd = -ENOENT;
		}
	}
	if (dp)
		closedir(dp);
	return fd;
}

static int open_pinned_map(const struct filter *f, const char *map)
{
	char path[3 * PATH_MAX];

	kvmexit_beside_path(path, sizeof(path), f->link, map);
	return bpf_obj_get(path);
}

int open_filter(struct options *opt, struct filter *f, bool with_log)
{
	const char *missing;
	int ret, err;

	memset(f, 0, sizeof(*f));
	f->rules_fd = f->ranges_fd = f->log_fd = f->bss_fd = f->lock_fd = -1;
	ret = pick_target(opt, &f->t);
	if (!ret)
		ret = pick_pinned(&f->t, opt->name, FILTER_POLICY, f->name, sizeof(f->name));
	if (ret)
		return ret;
	snprintf(f->link, sizeof(f->link), "%s/%s", f->t.dir, f->name);
	/* Rules for a policy no VM asks any more would be edits without effect. */
	if (!with_log && !pinned_policy_id(f->link))
		return fail(EXIT_STATE, "%s: the policy %s is detached (KVM ejected it, or its VM "
			    "is gone): its rules no longer decide anything", f->t.what, f->name);
	/* Each a fd, or -errno (libbpf's bpf_obj_get()); the first that fails says why. */
	f->rules_fd = open_pinned_map(f, "filter_rules");
	missing = "filter_rules";
	err = f->rules_fd;
	if (err >= 0) {
		f->ranges_fd = err = open_pinned_map(f, "filter_ranges");
		missing = "filter_ranges";
	}
	if (err >= 0 && with_log) {
		f->log_fd = err = open_pinned_map(f, "filter_log");
		missing = "filter_log";
	}
	if (err >= 0 && with_log) {
		f->bss_fd = err = open_globals(f);
		missing = "*_bss";
	}
	if (err < 0) {
		close_filter(f);
		return fail(err == -ENOENT ? EXIT_STATE : EXIT_FAIL, "%s: the policy %s is no %s "
			    "attached by kvmexit: %s-%s: %s", f->t.what, f->name, FILTER_POLICY,
			    f->link, missing, strerror(-err));
	}
	/*
	 * Rule edits read, then write (a range takes a free slot; a rules file is checked
	 * against what is there): one kvmexit at a time per target.
	 */
	if (!with_log) {
		f->lock_fd = open(f->t.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (f->lock_fd < 0 || flock(f->lock_fd, LOCK_EX)) {
			ret = fail(EXIT_FAIL, "locking %s: %s", f->t.dir, strerror(errno));
			close_filter(f);
			return ret;
		}
	}
	return EXIT_OK;
}

void close_filter(struct filter *f)
{
	int *fds[] = { &f->rules_fd, &f->ranges_fd, &f->log_fd, &f->bss_fd, &f->lock_fd };
	size_t i;

	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

/* "0xc4000003 PSCI_CPU_ON", or the range, for messages. */
static void format_spec(const struct spec *spec, char *buf, size_t size)
{
	const char *name;
	size_t len = 0;
	int i;

	if (!spec->nr_ids) {
		snprintf(buf, size, "%#x-%#x", spec->first, spec->last);
		return;
	}
	buf[0] = '\0';
	for (i = 0; i < spec->nr_ids && len < size; i++)
		len += snprintf(buf + len, size - len, "%s%#x", i ? ", " : "", spec->ids[i]);
	name = smccc_name(spec->ids[0]);
	if (name && len < size)
		snprintf(buf + len, size - len, " %s", name);
}

/* KVM never shows a policy the Arm Architecture Calls: say so, the rule is harmless. */
static void warn_arch_calls(const struct spec *spec)
{
	uint32_t id = spec->nr_ids ? spec->ids[0] : spec->first;

	if (smccc_is_arch_call(id) && !json_wanted())
		fprintf(stderr, "kvmexit: %s: an Arm Architecture Call, which KVM never lets a "
			"policy see: the rule never matches\n", spec->text);
}

static struct json_object *json_rule(const struct spec *spec, uint32_t action)
{
	struct json_object *obj = json_object_new_object(), *ids;
	int i;

	if (spec->nr_ids) {
		ids = json_object_new_array();
		for (i = 0; i < spec->nr_ids; i++)
			json_object_array_add(ids, json_object_new_int64(spec->ids[i]));
		json_object_object_add(obj, "ids", ids);
		json_object_object_add(obj, "name", json_string_or_null(smccc_name(spec->ids[0])));
	} else {
		json_object_object_add(obj, "first", json_object_new_int64(spec->first));
		json_object_object_add(obj, "last", json_object_new_int64(spec->last));
	}
	json_object_object_add(obj, "action", json_string_or_null(action_name(action)));
	return obj;
}

static int read_ranges(const struct filter *f, struct filter_range ranges[FILTER_MAX_RANGES])
{
	uint32_t i;

	for (i = 0; i < FILTER_MAX_RANGES; i++)
		if (bpf_map_lookup_elem_flags(f->ranges_fd, &i, &ranges[i], BPF_F_LOCK))
			return fail(EXIT_FAIL, "%s: reading filter_ranges of %s: %s", f->t.what,
				    f->name, strerror(errno));
	return EXIT_OK;
}

/* The slot of the range @spec among @ranges, else the first free one if @free; else -1. */
static int range_slot(const struct filter_range *ranges, const struct spec *spec, bool free)
{
	int i;

	for (i = 0; i < FILTER_MAX_RANGES; i++)
		if (ranges[i].action != FILTER_NONE && ranges[i].first == spec->first &&
		    ranges[i].last == spec->last)
			return i;
	for (i = 0; free && i < FILTER_MAX_RANGES; i++)
		if (ranges[i].action == FILTER_NONE)
			return i;
	return -1;
}

/* Set the rule: an exit code. */
static int set_rule(const struct filter *f, const struct spec *spec, uint32_t action)
{
	struct filter_range ranges[FILTER_MAX_RANGES];
	struct filter_rule rule = { .action = action };
	uint32_t slot;
	int i, ret;

	/* BPF_F_LOCK: the policy sees the rule before or after, never half of it. */
	for (i = 0; i < spec->nr_ids; i++) {
		rule.id = spec->ids[i];
		if (bpf_map_update_elem(f->rules_fd, &spec->ids[i], &rule, BPF_F_LOCK))
			return fail(errno == E2BIG ? EXIT_STATE : EXIT_FAIL,
				    "%s: adding %s to filter_rules of %s: %s%s", f->t.what,
				    spec->text, f->name, strerror(errno),
				    errno == E2BIG ? " (full: delete rules first)" : "");
	}
	if (spec->nr_ids)
		return EXIT_OK;
	ret = read_ranges(f, ranges);
	if (ret)
		return ret;
	i = range_slot(ranges, spec, true);
	if (i < 0)
		return fail(EXIT_STATE, "%s: %s: the %d run-time ranges of %s are in use: delete "
			    "one first", f->t.what, spec->text, FILTER_MAX_RANGES, f->name);
	slot = i;
	ranges[i] = (struct filter_range){ .first = spec->first, .last = spec->last,
					   .action = action };
	if (bpf_map_update_elem(f->ranges_fd, &slot, &ranges[i], BPF_F_LOCK))
		return fail(EXIT_FAIL, "%s: writing filter_ranges of %s: %s", f->t.what, f->name,
			    strerror(errno));
	return EXIT_OK;
}

static int del_rule(const struct filter *f, const struct spec *spec)
{
	struct filter_range ranges[FILTER_MAX_RANGES], none = {};
	int i, deleted = 0, ret;
	uint32_t slot;

	for (i = 0; i < spec->nr_ids; i++) {
		if (!bpf_map_delete_elem(f->rules_fd, &spec->ids[i]))
			deleted++;
		else if (errno != ENOENT)
			return fail(EXIT_FAIL, "%s: deleting %s from filter_rules of %s: %s",
				    f->t.what, spec->text, f->name, strerror(errno));
	}
	if (!spec->nr_ids) {
		ret = read_ranges(f, ranges);
		if (ret)
			return ret;
		i = range_slot(ranges, spec, false);
		slot = i;
		if (i >= 0 && bpf_map_update_elem(f->ranges_fd, &slot, &none, BPF_F_LOCK))
			return fail(EXIT_FAIL, "%s: writing filter_ranges of %s: %s", f->t.what,
				    f->name, strerror(errno));
		deleted = i >= 0;
	}
	if (!deleted)
		return fail(EXIT_STATE, "%s: %s has no run-time rule for %s", f->t.what, f->name,
			    spec->text);
	return EXIT_OK;
}

static void report_rule(const struct filter *f, const char *done, const struct spec *spec,
		   uint32_t action)
{
	struct json_object *obj;
	char what[128];

	if (!json_wanted()) {
		format_spec(spec, what, sizeof(what));
		printf("%s %s%s%s in %s of %s\n", done, what, action ? " " : "",
		       action ? action_name(action) : "", f->name, f->t.what);
		return;
	}
	obj = json_object_new_object();
	json_object_object_add(obj, done, json_rule(spec, action));
	json_object_object_add(obj, "policy", json_text(f->name));
	json_print(obj);
}

static int compare_ids(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* The ids of filter_rules, sorted, into a new array: how many, or -errno. */
static int read_rule_ids(const struct filter *f, uint32_t **ids)
{
	uint32_t key, next, *prev = NULL;
	int n = 0;

	*ids = calloc(FILTER_MAX_RULES, sizeof(**ids));
	if (!*ids)
		return -ENOMEM;
	while (n < FILTER_MAX_RULES && !bpf_map_get_next_key(f->rules_fd, prev, &next)) {
		key = next;
		(*ids)[n++] = key;
		prev = &key;
	}
	qsort(*ids, n, sizeof(**ids), compare_ids);
	return n;
}

/* The filter's rules: its ranges, and its ids into a new sorted array (*nr of them). */
static int read_rules(const struct filter *f, struct filter_range ranges[FILTER_MAX_RANGES],
		      uint32_t **ids, int *nr)
{
	int ret = read_ranges(f, ranges);

	if (ret)
		return ret;
	*nr = read_rule_ids(f, ids);
	if (*nr < 0)
		return fail(EXIT_FAIL, "%s: reading filter_rules of %s: %s", f->t.what, f->name,
			    strerror(-*nr));
	return EXIT_OK;
}

/* The filter's rules: as JSON, or as text that rule load reads back (see print_rule()). */
static int show_rules(const struct filter *f)
{
	struct filter_range ranges[FILTER_MAX_RANGES];
	struct json_object *obj = NULL, *rules = NULL, *list = NULL;
	struct spec spec = { .nr_ids = 1 };
	struct filter_rule rule;
	uint32_t *ids, action;
	int n, i, shown = 0, ret;

	ret = read_rules(f, ranges, &ids, &n);
	if (ret)
		return ret;
	if (json_wanted()) {
		obj = json_object_new_object();
		json_object_object_add(obj, "policy", json_text(f->name));
		rules = json_object_new_array();
		json_object_object_add(obj, "rules", rules);
		list = json_object_new_array();
		json_object_object_add(obj, "ranges", list);
	}
	for (i = 0; i < n; i++) {
		if (bpf_map_lookup_elem_flags(f->rules_fd, &ids[i], &rule, BPF_F_LOCK))
			continue;	/* deleted meanwhile */
		action = rule.action;
		spec.ids[0] = ids[i];
		shown++;
		if (rules)
			json_object_array_add(rules, json_rule(&spec, action));
		else
			print_rule(stdout, &spec, action);
	}
	free(ids);
	for (i = 0; i < FILTER_MAX_RANGES; i++) {
		if (ranges[i].action == FILTER_NONE)
			continue;
		spec = (struct spec){ .first = ranges[i].first, .last = ranges[i].last };
		shown++;
		if (list)
			json_object_array_add(list, json_rule(&spec, ranges[i].action));
		else
			print_rule(stdout, &spec, ranges[i].action);
	}
	if (obj)
		json_print(obj);
	else if (!shown)
		printf("# no run-time rules in %s of %s (its attach-time ones are its "
		       "parameters)\n", f->name, f->t.what);
	return EXIT_OK;
}

/* Room in the filter's maps for @rules: an exit code. */
static int check_room(const struct filter *f, const struct file_rule *rules, int n,
		      const char *path)
{
	struct filter_range ranges[FILTER_MAX_RANGES];
	int new_ids = 0, new_ranges = 0, free_ranges = 0, existing, i, j, ret;
	struct filter_rule unused;
	uint32_t *ids;

	ret = read_rules(f, ranges, &ids, &existing);
	if (ret)
		return ret;
	free(ids);
	for (i = 0; i < n; i++) {
		for (j = 0; j < rules[i].spec.nr_ids; j++)
			new_ids += !!bpf_map_lookup_elem(f->rules_fd, &rules[i].spec.ids[j],
							 &unused);
		new_ranges += !rules[i].spec.nr_ids &&
			      range_slot(ranges, &rules[i].spec, false) < 0;
	}
	for (i = 0; i < FILTER_MAX_RANGES; i++)
		free_ranges += ranges[i].action == FILTER_NONE;
	if (existing + new_ids > FILTER_MAX_RULES)
		return fail(EXIT_STATE, "%s: %s: %d more rules by id do not fit in filter_rules "
			    "of %s (%d of %d in use)", f->t.what, path, new_ids, f->name, existing,
			    FILTER_MAX_RULES);
	if (new_ranges > free_ranges)
		return fail(EXIT_STATE, "%s: %s: %d more ranges do not fit in filter_ranges of %s "
			    "(%d free)", f->t.what, path, new_ranges, f->name, free_ranges);
	return EXIT_OK;
}

/*
 * Parse @path whole into @rules (see parse_rules()) and check the filter has room for
 * them: the number of rules, or -1 and an exit code in @ret.
 */
static int parse_file(const struct filter *f, const char *path, struct file_rule **out,
		      int *ret)
{
	FILE *file;
	int n;

	file = fopen(path, "r");
	if (!file) {
		*ret = fail(EXIT_USAGE, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	n = parse_rules(file, path, out, ret);
	fclose(file);
	if (n >= 0)
		*ret = check_room(f, *out, n, path);
	if (*ret && n >= 0) {
		free(*out);
		return -1;
	}
	return n;
}

static int load_rules(const struct filter *f, const char *path)
{
	struct file_rule *rules = NULL;
	int n, i, ret;
	char text[PATH_MAX + 16];

	n = parse_file(f, path, &rules, &ret);
	if (n < 0)
		return ret;
	for (i = 0; i < n && !ret; i++) {
		snprintf(text, sizeof(text), "%s:%d", path, rules[i].line);
		rules[i].spec.text = text;
		ret = set_rule(f, &rules[i].spec, rules[i].action);
	}
	free(rules);
	if (ret)
		return ret;
	if (json_wanted()) {
		struct json_object *obj = json_object_new_object();

		json_object_object_add(obj, "loaded", json_object_new_int(n));
		json_object_object_add(obj, "policy", json_text(f->name));
		json_print(obj);
	} else {
		printf("loaded %d rules from %s into %s of %s\n", n, path, f->name, f->t.what);
	}
	return EXIT_OK;
}

static const struct rule_verb {
	const char *verb;
	int nr_args;		/* the verb's included */
	const char *usage;
} rule_verbs[] = {
	{ "show", 1, "kvmexit rule show TARGET" },
	{ "add", 3, "kvmexit rule add TARGET ID|FIRST-LAST|NAME allow|deny|forward" },
	{ "del", 2, "kvmexit rule del TARGET ID|FIRST-LAST|NAME" },
	{ "load", 2, "kvmexit rule load TARGET FILE" },
};

int cmd_rule(struct options *opt)
{
	const struct rule_verb *v = NULL;
	uint32_t action = FILTER_NONE;
	struct filter f;
	struct spec spec;
	char err[256];
	size_t i;
	int ret;

	for (i = 0; opt->nr_args && i < sizeof(rule_verbs) / sizeof(rule_verbs[0]); i++)
		if (!strcmp(opt->args[0], rule_verbs[i].verb))
			v = &rule_verbs[i];
	if (!v)
		return fail(EXIT_USAGE, "kvmexit rule show|add|del|load TARGET ... (see kvmexit "
			    "--help)");
	if (opt->nr_args != v->nr_args)
		return fail(EXIT_USAGE, "usage: %s", v->usage);
	if ((v->nr_args == 3 || !strcmp(v->verb, "del")) &&
	    (parse_spec(opt->args[1], &spec, err, sizeof(err)) ||
	     (v->nr_args == 3 && parse_action(opt->args[2], &action, err, sizeof(err)))))
		return fail(EXIT_USAGE, "%s", err);
	ret = open_filter(opt, &f, false);
	if (ret)
		return ret;
	if (!strcmp(v->verb, "show")) {
		ret = show_rules(&f);
	} else if (!strcmp(v->verb, "load")) {
		ret = load_rules(&f, opt->args[1]);
	} else {
		warn_arch_calls(&spec);
		ret = action ? set_rule(&f, &spec, action) : del_rule(&f, &spec);
		if (!ret)
			report_rule(&f, action ? "set" : "deleted", &spec, action);
	}
	close_filter(&f);
	return ret;
}
