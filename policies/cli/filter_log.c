// SPDX-License-Identifier: GPL-2.0
/*
 * kvmexit log: the hypercall filter's audit log, its ring buffer filter_log of denied and
 * forwarded calls, and how many records it dropped. A ring buffer has one reader: what
 * this command prints, the next one does not.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "console.h"
#include "filter.h"
#include "pins.h"
#include "hypercall_filter.h"
#include "interrupt.h"
#include "json.h"
#include "smccc.h"
#include "vms.h"

/* The .bss counters of the log: past the rate, and with the ring buffer full. */
static const char *const counter_names[] = { "log_dropped", "log_lost" };
#define NR_COUNTERS	(sizeof(counter_names) / sizeof(counter_names[0]))

struct log_reader {
	struct json_object *records;	/* --json without --follow: gathered, printed at the end */
	bool follow;
	bool show_vm;			/* the filter decides for several VMs: say whose call */
};

static const char *log_action_name(unsigned int action)
{
	switch (action) {
	case FILTER_LOG_DENIED:
		return "denied";
	case FILTER_LOG_FORWARDED:
		return "forwarded";
	case FILTER_LOG_WOULD_DENY:
		return "would-deny";
	case FILTER_LOG_WOULD_FORWARD:
		return "would-forward";
	default:
		return "unknown";
	}
}

static struct json_object *json_record(const struct filter_record *r)
{
	struct json_object *obj = json_object_new_object(), *args = json_object_new_array();
	int i;

	json_object_object_add(obj, "time_ns", json_object_new_uint64(r->time_ns));
	json_object_object_add(obj, "vm_id", json_object_new_uint64(r->vm_id));
	json_object_object_add(obj, "pid", json_object_new_int64(r->pid));
	json_object_object_add(obj, "vcpu", json_object_new_int64(r->vcpu_id));
	json_object_object_add(obj, "conduit", json_object_new_string(r->is_smc ? "smc" : "hvc"));
	json_object_object_add(obj, "fid", json_object_new_int64(r->fid));
	json_object_object_add(obj, "name", json_string_or_null(smccc_name(r->fid)));
	json_object_object_add(obj, "action", json_object_new_string(log_action_name(r->action)));
	for (i = 0; i < 6; i++)
		json_object_array_add(args, json_object_new_uint64(r->args[i]));
	json_object_object_add(obj, "args", args);
	json_object_object_add(obj, "pc", json_object_new_uint64(r->pc));
	return obj;
}

static int print_record(void *ctx, void *data, size_t size)
{
	struct log_reader *reader = ctx;
	const struct filter_record *r = data;
	const char *name;
	int i;

	if (size < sizeof(*r))
		return 0;	/* not the record this kvmexit knows */
	if (reader->records) {
		json_object_array_add(reader->records, json_record(r));
		return 0;
	}
	if (json_wanted()) {
		json_print(json_record(r));
		return 0;
	}
	name = smccc_name(r->fid);
	printf("%llu.%06llu ", r->time_ns / 1000000000, r->time_ns / 1000 % 1000000);
	if (reader->show_vm)
		printf("VM %llu (pid %u) ", r->vm_id, r->pid);
	printf("vCPU %u %s %#010x %s %s", r->vcpu_id, r->is_smc ? "smc" : "hvc", r->fid,
	       name ?: "-", log_action_name(r->action));
	for (i = 0; i < 6; i++)
		printf(" x%d=%#llx", i + 1, r->args[i]);
	printf(" pc=%#llx\n", r->pc);
	if (reader->follow)
		fflush(stdout);
	return 0;
}

static void print_counters(const uint64_t *counters, struct json_object *obj)
{
	if (!obj)
		obj = json_object_new_object();
	if (!json_wanted()) {
		json_object_put(obj);
		printf("%llu records dropped (rate limit), %llu lost (log full)\n",
		       (unsigned long long)counters[0], (unsigned long long)counters[1]);
		return;
	}
	json_object_object_add(obj, "dropped", json_object_new_uint64(counters[0]));
	json_object_object_add(obj, "lost", json_object_new_uint64(counters[1]));
	json_print(obj);
}

/* Why --follow ended, if not as asked (a signal): said, and its exit code. */
static int follow_ended(const struct filter *f, enum follow_end ended)
{
	const struct target *t = &f->t;

	switch (ended) {
	case FOLLOW_REPLACED:
		return fail(EXIT_STATE, "%s of %s was replaced: its log ended (kvmexit log again "
			    "follows the new one's)", f->name, t->what);
	case FOLLOW_EJECTED:
		return fail(EXIT_STATE, "%s of %s was ejected (%s): its log ended", f->name,
			    t->what, eject_reason(vm_eject_reason(t->vm.pid, t->vm.vm_fd)) ?:
			    "see kvmexit stats");
	case FOLLOW_VMM_EXITED:
		fprintf(stderr, "kvmexit: the VMM of %s exited: the log of %s ended\n", t->what,
			f->name);
		return EXIT_OK;
	case FOLLOW_DETACHED:
		fprintf(stderr, "kvmexit: %s of %s was detached: its log ended\n", f->name,
			t->what);
		return EXIT_OK;
	default:
		return EXIT_OK;
	}
}

int cmd_log(struct options *opt)
{
	struct log_reader reader = { .follow = opt->follow };
	uint64_t counters[NR_COUNTERS], shown[NR_COUNTERS] = {};
	enum follow_end ended = FOLLOW_STOPPED;
	struct json_object *obj = NULL;
	struct ring_buffer *rb;
	struct filter f;
	int ret, err, check;
	int64_t id;

	ret = open_filter(opt, &f, true);
	if (ret)
		return ret;
	reader.show_vm = f.t.opts.target != KVMEXIT_TARGET_VM;
	rb = ring_buffer__new(f.log_fd, print_record, &reader, NULL);
	if (!rb) {
		ret = fail(EXIT_FAIL, "%s: reading filter_log of %s: %s", f.t.what, f.name,
			   strerror(errno));
		close_filter(&f);
		return ret;
	}
	if (json_wanted() && !opt->follow) {
		obj = json_object_new_object();
		reader.records = json_object_new_array();
		json_object_object_add(obj, "records", reader.records);
	}
	catch_interrupts();
	id = pinned_policy_id(f.link);
	err = ring_buffer__consume(rb);
	/*
	 * Following: until interrupted, or the policy is detached (its pin goes), replaced or
	 * ejected (this ring buffer gets nothing any more), or its VMM exits.
	 */
	while (opt->follow && !ret && err >= 0 && !interrupted) {
		check = follow_check(id, f.t.vm.pid, f.t.vm.vm_fd, f.link, &ended);
		if (check)
			ret = fail(EXIT_FAIL, "%s: %s: %s", f.t.what, f.link, strerror(-check));
		if (check || ended != FOLLOW_STOPPED)
			break;
		err = ring_buffer__poll(rb, 500);
		ret = filter_globals(&f, counter_names, counters, NR_COUNTERS);
		if (!ret && err >= 0 && memcmp(counters, shown, sizeof(counters))) {
			print_counters(counters, NULL);
			memcpy(shown, counters, sizeof(shown));
			fflush(stdout);
		}
	}
	if (opt->follow && !ret && err >= 0)
		err = ring_buffer__consume(rb);	/* what came before the end */
	ring_buffer__free(rb);
	if (err < 0 && err != -EINTR)
		ret = fail(EXIT_FAIL, "%s: reading filter_log of %s: %s", f.t.what, f.name,
			   strerror(-err));
	if (!ret && (ended == FOLLOW_REPLACED || ended == FOLLOW_EJECTED))
		ret = follow_ended(&f, ended);
	if (!ret)
		ret = filter_globals(&f, counter_names, counters, NR_COUNTERS);
	if (!ret)
		print_counters(counters, obj);
	else
		json_object_put(obj);
	if (!ret)
		ret = follow_ended(&f, ended);
	close_filter(&f);
	return ret;
}
