// SPDX-License-Identifier: GPL-2.0
/*
 * libkvmexit as a VMM links it: every public function, on a real VM. The guest
 * (tests/guest/library.c) marks phases; at each mark this VMM changes the VM's policies
 * (tests/bpf/lib_policy.bpf.c) through the library only, and the guest checks whose answer
 * each call gets: attach with parameters, a map changed at run time, replace in process,
 * pin and replace through the pin, detach of a pinned link another holder keeps, host-wide
 * attach and detach. At the end the counters KVM kept, read with the library's stats
 * struct of today, a shorter one and 0.3's.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "guests.h"
#include "libkvmexit.h"
#include "policy_tests.h"
#include "scenario.h"
#include "testdev.h"

DECLARE_GUEST(library);

#define TEST_POLICIES	"/usr/lib/kvmexit/tests"
#define LIB_POLICY	TEST_POLICIES "/lib_policy.bpf.o"
#define PIN_DIR		"/sys/fs/bpf/kvmexit-library"
#define PIN		PIN_DIR "/lib_policy"
/* Phases whose calls a policy answers (all but the detached one). */
#define ANSWERED_PHASES	6

static struct kvmexit_policy *policies[7];	/* by the phase that attached it */

#define CHECK(ctx, cond, ...)	((cond) || scenario_fail(ctx, __VA_ARGS__))

/* A lib_policy with the tag of @phase, not loaded yet. */
static struct kvmexit_policy *open_tagged(struct scenario_ctx *ctx, unsigned int phase)
{
	char tag[32];
	int err;

	err = kvmexit_policy_open(LIB_POLICY, &policies[phase]);
	if (err) {
		scenario_fail(ctx, "open %s: %s", LIB_POLICY, strerror(-err));
		return NULL;
	}
	snprintf(tag, sizeof(tag), "%#x", LIB_TAG(phase));
	err = kvmexit_policy_set(policies[phase], "tag", tag);
	if (err) {
		scenario_fail(ctx, "set tag=%s: %s", tag, strerror(-err));
		return NULL;
	}
	return policies[phase];
}

static struct kvmexit_attach_opts vm_opts(struct scenario_ctx *ctx)
{
	return (struct kvmexit_attach_opts){
		.sz = sizeof(struct kvmexit_attach_opts), .target = KVMEXIT_TARGET_VM,
		.fd = ctx->vm.fd,
	};
}

/* The VM's chain is exactly @policy, from @origin. */
static bool chain_is(struct scenario_ctx *ctx, struct kvmexit_policy *policy,
		     enum kvmexit_origin origin)
{
	struct kvmexit_chain_entry chain[KVMEXIT_MAX_POLICIES];
	int nr = kvmexit_read_chain(ctx->vm.fd, chain, KVMEXIT_MAX_POLICIES);

	return CHECK(ctx, nr == 1 && chain[0].id == kvmexit_policy_id(policy) &&
		     chain[0].origin == origin, "chain: %d policies, first %u from %s; expected "
		     "%u from %s", nr, nr > 0 ? chain[0].id : 0,
		     nr > 0 ? kvmexit_origin_name(chain[0].origin) : "-",
		     kvmexit_policy_id(policy), kvmexit_origin_name(origin));
}

static int collect_param(const char *name, const char *type, const char *value, void *arg)
{
	size_t len = strlen(arg);

	snprintf((char *)arg + len, 256 - len, "%s %s %s;", name, type, value);
	return 0;
}

/* Phase 0: A attached with its parameters, its answer map set through its fd. */
static bool attach_first(struct scenario_ctx *ctx)
{
	struct kvmexit_attach_opts opts = vm_opts(ctx);
	struct kvmexit_policy *a = open_tagged(ctx, 0);
	char params[256] = "";
	uint64_t answer = 7;
	uint32_t zero = 0;
	int fd, err;

	if (!a)
		return false;
	err = kvmexit_policy_params(a, collect_param, params);
	if (!CHECK(ctx, !err && !strcmp(params, "tag u64 6832;ids u32[4] 0xc3000210;"),
		   "params: %d, \"%s\"", err, params))
		return false;
	fd = kvmexit_policy_map_fd(a, "lib_answer");
	if (!CHECK(ctx, fd == -EBADF, "map fd before load: %d, expected -EBADF", fd))
		return false;
	err = kvmexit_policy_attach_opts(a, &opts);
	if (!CHECK(ctx, !err, "attach A: %s (log: %s)", strerror(-err), kvmexit_policy_log(a)))
		return false;
	fd = kvmexit_policy_map_fd(a, "lib_answer");
	err = kvmexit_policy_map_fd(a, "nosuch");
	if (!CHECK(ctx, fd >= 0 && err == -ENOENT, "map fds: %d, nosuch %d", fd, err) ||
	    !CHECK(ctx, !bpf_map_update_elem(fd, &zero, &answer, BPF_ANY), "map update: %s",
		   strerror(errno)))
		return false;
	/* One load per object: a second attach, or a --set after load, says so. */
	err = kvmexit_policy_attach_opts(a, &opts);
	if (!CHECK(ctx, err == -EALREADY, "attach A again: %d, expected -EALREADY", err))
		return false;
	err = kvmexit_policy_set(a, "tag", "1");
	if (!CHECK(ctx, err == -EALREADY, "set after load: %d, expected -EALREADY", err) ||
	    !CHECK(ctx, !strcmp(bpf_object__name(kvmexit_policy_object(a)), "lib_policy"),
		   "object name %s", bpf_object__name(kvmexit_policy_object(a))) ||
	    !CHECK(ctx, !strcmp(kvmexit_policy_name(a), "lib_policy"), "name %s",
		   kvmexit_policy_name(a)))
		return false;
	return chain_is(ctx, a, KVMEXIT_ORIGIN_VM);
}

/* Phase 1: the VMM changes A's rule at run time. */
static bool change_map(struct scenario_ctx *ctx)
{
	uint64_t answer = 8;
	uint32_t zero = 0;

	return CHECK(ctx, !bpf_map_update_elem(kvmexit_policy_map_fd(policies[0], "lib_answer"),
					       &zero, &answer, BPF_ANY), "map update: %s",
		     strerror(errno));
}

/*
 * Phase 2: B replaces A in process, in its place, and keeps A's map (the VMM's answer);
 * A is left detached.
 */
static bool replace_in_process(struct scenario_ctx *ctx)
{
	struct kvmexit_attach_opts opts = vm_opts(ctx);
	struct kvmexit_policy *b = open_tagged(ctx, 2);
	int err;

	if (!b)
		return false;
	err = kvmexit_policy_replace(policies[0], b, &opts);
	if (!CHECK(ctx, !err, "replace A with B: %s", strerror(-err)))
		return false;
	err = kvmexit_policy_detach(policies[0]);
	if (!CHECK(ctx, err == -ENOLINK, "detach A after replace: %d, expected -ENOLINK", err))
		return false;
	return chain_is(ctx, b, KVMEXIT_ORIGIN_VM);
}

/*
 * Phase 3: B pinned, with its map beside it; a replace for another target refused, and one
 * with unknown flags; C replaces B through the pin, fresh (its own empty map).
 */
static bool replace_pinned(struct scenario_ctx *ctx)
{
	struct kvmexit_attach_opts host = { .sz = sizeof(host), .target = KVMEXIT_TARGET_HOST };
	struct kvmexit_attach_opts opts = vm_opts(ctx);
	struct kvmexit_policy *wrong = open_tagged(ctx, 1), *c;
	struct stat st;
	int err;

	mkdir(PIN_DIR, 0700);
	err = kvmexit_policy_pin(policies[2], PIN);
	if (!CHECK(ctx, !err && !stat(PIN "-lib_answer", &st), "pin B: %s; its map: %s",
		   strerror(-err), strerror(errno)))
		return false;
	err = wrong ? kvmexit_policy_replace_pinned_opts(PIN, wrong, &host) : -ENOMEM;
	if (!CHECK(ctx, err == -EINVAL, "replace a VM's policy with a host-wide one: %d, "
		   "expected -EINVAL", err))
		return false;
	c = open_tagged(ctx, 3);
	opts.flags = ~0U;
	err = c ? kvmexit_policy_replace_pinned_opts(PIN, c, &opts) : -ENOMEM;
	if (!CHECK(ctx, err == -EINVAL, "replace with unknown flags: %d, expected -EINVAL", err))
		return false;
	opts.flags = KVMEXIT_ATTACH_FRESH;
	err = kvmexit_policy_replace_pinned_opts(PIN, c, &opts);
	if (!CHECK(ctx, !err, "replace B through its pin with C: %s", strerror(-err)))
		return false;
	return chain_is(ctx, c, KVMEXIT_ORIGIN_VM);
}

/*
 * Phase 4: the pinned link detached, though B's object still holds it; its pins removed,
 * and only its own: a link pinned at PIN-2 (the same one: what matters is its name) and a
 * map beside that one stay.
 */
static bool detach_pinned(struct scenario_ctx *ctx)
{
	struct kvmexit_chain_entry chain[1];
	int link_fd = bpf_obj_get(PIN), err, nr;
	uint32_t id = 0;
	struct stat st;

	err = kvmexit_pinned_policy_id(PIN, &id);
	if (!CHECK(ctx, !err && id == kvmexit_policy_id(policies[3]), "the pinned link's "
		   "policy: %d, id %u, expected C's %u", err, id, kvmexit_policy_id(policies[3])))
		return false;
	err = kvmexit_pinned_policy_id(PIN "-lib_answer", &id);
	if (!CHECK(ctx, err == -ENOLINK, "a pinned map as a link: %d, expected -ENOLINK", err))
		return false;
	err = link_fd < 0 || bpf_obj_pin(link_fd, PIN "-2") ||
	      bpf_obj_pin(kvmexit_policy_map_fd(policies[3], "lib_answer"), PIN "-2-lib_answer");
	if (link_fd >= 0)
		close(link_fd);
	if (!CHECK(ctx, !err, "pin at %s-2: %s", PIN, strerror(errno)))
		return false;
	err = kvmexit_detach_pinned(PIN);
	if (!CHECK(ctx, !err, "detach the pinned link: %s", strerror(-err)) ||
	    !CHECK(ctx, stat(PIN, &st) && stat(PIN "-lib_answer", &st), "pins left") ||
	    !CHECK(ctx, !stat(PIN "-2", &st) && !stat(PIN "-2-lib_answer", &st),
		   "detaching %s removed what is pinned at %s-2", PIN, PIN))
		return false;
	unlink(PIN "-2");
	unlink(PIN "-2-lib_answer");
	err = kvmexit_detach_pinned(PIN);
	nr = kvmexit_read_chain(ctx->vm.fd, chain, 1);
	rmdir(PIN_DIR);
	return CHECK(ctx, err == -ENOENT, "detach again: %d, expected -ENOENT", err) &&
	       CHECK(ctx, nr == 0, "the chain has %d policies after detach", nr);
}

/* Phase 5: D host-wide. Phase 6: D detached, E attached the simple way. */
static bool attach_host_wide(struct scenario_ctx *ctx)
{
	struct kvmexit_policy *d = open_tagged(ctx, 5);
	int err = d ? kvmexit_policy_attach_host_wide(d) : -ENOMEM;

	return CHECK(ctx, !err, "attach D host-wide: %s", strerror(-err)) &&
	       chain_is(ctx, d, KVMEXIT_ORIGIN_HOST);
}

static bool swap_host_for_vm(struct scenario_ctx *ctx)
{
	struct kvmexit_policy *e;
	int err = kvmexit_policy_detach(policies[5]);

	if (!CHECK(ctx, !err, "detach D: %s", strerror(-err)))
		return false;
	e = open_tagged(ctx, 6);
	err = e ? kvmexit_policy_attach(e, ctx->vm.fd) : -ENOMEM;
	return CHECK(ctx, !err, "attach E: %s", strerror(-err)) &&
	       chain_is(ctx, e, KVMEXIT_ORIGIN_VM);
}

static bool (*const phases[])(struct scenario_ctx *ctx) = {
	attach_first, change_map, replace_in_process, replace_pinned, detach_pinned,
	attach_host_wide, swap_host_for_vm,
};

static bool library_exit(struct scenario_ctx *ctx)
{
	struct kvm_run *run = ctx->vcpu.run;
	uint64_t phase = 0;

	if (!expect_exit_reason(ctx, KVM_EXIT_MMIO))
		return false;
	memcpy(&phase, run->mmio.data, run->mmio.len);
	if (run->mmio.phys_addr != TESTDEV_BASE + LIB_PHASE || !run->mmio.is_write ||
	    phase != ctx->step)
		return scenario_fail(ctx, "access to %#llx (%llu), expected phase %u's mark",
				     (unsigned long long)run->mmio.phys_addr,
				     (unsigned long long)phase, ctx->step);
	if (!phases[ctx->step](ctx))
		return false;
	printf("testvmm: %s: phase %u ready\n", ctx->scenario->name, ctx->step);
	ctx->step++;
	return true;
}

/* What a caller built against 0.3's header passes: exit[6] of 6 outcomes, then ejected. */
struct stats_0_3 {
	size_t sz;
	struct {
		uint64_t handled, to_user, injected, defaulted, errors, refused;
	} exit[6];
	uint64_t ejected;
};

/* What a caller built against a header of today that ends before a later field passes. */
struct stats_prefix {
	size_t sz;
	uint64_t ejected;
	struct kvmexit_counters exit[KVMEXIT_HVC + 1];
};

static bool check_stats(struct scenario_ctx *ctx)
{
	struct kvmexit_stats stats = { .sz = sizeof(stats), .ejected = 0xdead };
	struct {
		struct stats_0_3 stats;
		uint64_t guard;
	} old = { .stats.sz = sizeof(old.stats), .stats.ejected = 0xdead, .guard = 0x600d };
	struct {
		struct stats_prefix stats;
		uint64_t guard;
	} prefix = { .stats.sz = sizeof(prefix.stats), .guard = 0x600d };
	struct kvmexit_stats tiny = { .sz = sizeof(size_t) + 4 };	/* not ejected whole */
	const uint64_t answered = ANSWERED_PHASES * LIB_CALLS;
	int err;

	err = kvmexit_add_vcpu_stats(ctx->vcpu.fd, &stats);
	if (!CHECK(ctx, !err && stats.exit[KVMEXIT_HVC].handled == answered &&
		   stats.exit[KVMEXIT_HVC].defaulted == 0 && stats.ejected == 0xdead,
		   "vCPU stats: %d, %s handled %llu (expected %llu), defaulted %llu, ejected %#llx",
		   err, kvmexit_exit_name(KVMEXIT_HVC),
		   (unsigned long long)stats.exit[KVMEXIT_HVC].handled,
		   (unsigned long long)answered,
		   (unsigned long long)stats.exit[KVMEXIT_HVC].defaulted,
		   (unsigned long long)stats.ejected))
		return false;
	err = kvmexit_read_vm_stats(ctx->vm.fd, &stats);
	if (!CHECK(ctx, !err && stats.ejected == 0, "VM stats: %d, ejected %llu", err,
		   (unsigned long long)stats.ejected))
		return false;
	err = kvmexit_add_vcpu_stats(ctx->vcpu.fd, (struct kvmexit_stats *)&old.stats);
	if (!CHECK(ctx, sizeof(old.stats) == 304 && !err &&
		   old.stats.exit[KVMEXIT_HVC].handled == answered &&
		   old.stats.exit[KVMEXIT_HVC].defaulted == 0 && old.stats.ejected == 0xdead &&
		   old.guard == 0x600d, "0.3's stats struct (%zu bytes): %d, handled %llu, "
		   "defaulted %llu, ejected %#llx, guard %#llx", sizeof(old.stats), err,
		   (unsigned long long)old.stats.exit[KVMEXIT_HVC].handled,
		   (unsigned long long)old.stats.exit[KVMEXIT_HVC].defaulted,
		   (unsigned long long)old.stats.ejected, (unsigned long long)old.guard))
		return false;
	old.stats.ejected = 0xdead;
	err = kvmexit_read_vm_stats(ctx->vm.fd, (struct kvmexit_stats *)&old.stats);
	if (!CHECK(ctx, !err && old.stats.ejected == 0 && old.guard == 0x600d,
		   "0.3's stats struct, VM: %d, ejected %llu", err,
		   (unsigned long long)old.stats.ejected))
		return false;
	err = kvmexit_add_vcpu_stats(ctx->vcpu.fd, (struct kvmexit_stats *)&prefix.stats);
	if (!CHECK(ctx, !err && prefix.stats.exit[KVMEXIT_HVC].handled == answered &&
		   prefix.guard == 0x600d, "a shorter stats struct: %d, handled %llu, guard %#llx",
		   err, (unsigned long long)prefix.stats.exit[KVMEXIT_HVC].handled,
		   (unsigned long long)prefix.guard))
		return false;
	err = kvmexit_add_vcpu_stats(ctx->vcpu.fd, &tiny);
	return CHECK(ctx, err == -EINVAL, "stats with no room: %d, expected -EINVAL", err);
}

/* A device policy (KVMEXIT_ONE_VM) attaches to a VM only: not host-wide. */
static bool check_one_vm(struct scenario_ctx *ctx)
{
	struct kvmexit_policy *policy, *lib;
	bool one_vm, lib_one_vm;
	int err;

	err = kvmexit_policy_open("/usr/lib/kvmexit/policies/pl011.bpf.o", &policy);
	if (!CHECK(ctx, !err, "open pl011: %s", strerror(-err)))
		return false;
	one_vm = kvmexit_policy_one_vm(policy);
	err = kvmexit_policy_attach_host_wide(policy);
	kvmexit_policy_close(policy);
	if (kvmexit_policy_open(LIB_POLICY, &lib))
		return scenario_fail(ctx, "open %s", LIB_POLICY);
	lib_one_vm = kvmexit_policy_one_vm(lib);
	kvmexit_policy_close(lib);
	return CHECK(ctx, one_vm && !lib_one_vm && err == -EXDEV, "pl011 one VM's: %d, "
		     "lib_policy: %d; pl011 host-wide: %d, expected -EXDEV", one_vm, lib_one_vm,
		     err);
}

/* A parameter's "010" is ten: an operator's leading zero is no octal prefix. */
static bool check_decimal(struct scenario_ctx *ctx)
{
	struct kvmexit_policy *policy;
	char params[256] = "";
	int err;

	if (kvmexit_policy_open(LIB_POLICY, &policy))
		return scenario_fail(ctx, "open %s", LIB_POLICY);
	err = kvmexit_policy_set(policy, "tag", "010");
	if (!err)
		err = kvmexit_policy_params(policy, collect_param, params);
	kvmexit_policy_close(policy);
	return CHECK(ctx, !err && !strncmp(params, "tag u64 10;", 11),
		     "tag=010: %d, params \"%s\", expected tag 10", err, params);
}

/* What the library refuses, and says why. */
static bool check_refusals(struct scenario_ctx *ctx)
{
	struct kvmexit_policy *policy;
	int err;

	if (!check_one_vm(ctx) || !check_decimal(ctx))
		return false;
	err = kvmexit_policy_open(TEST_POLICIES "/no_ops.bpf.o", &policy);
	if (!CHECK(ctx, err == -ENOMSG, "open no_ops: %d, expected -ENOMSG", err))
		return false;
	err = kvmexit_policy_open(TEST_POLICIES "/rejected.bpf.o", &policy);
	if (!CHECK(ctx, !err, "open rejected: %s", strerror(-err)))
		return false;
	err = kvmexit_policy_attach(policy, ctx->vm.fd);
	if (!CHECK(ctx, (err == -EACCES || err == -EINVAL) && strstr(kvmexit_policy_log(policy),
		   "cannot write into ptr_kvm_arm_exit_ctx"), "rejected: %d, log %.80s", err,
		   kvmexit_policy_log(policy))) {
		kvmexit_policy_close(policy);
		return false;
	}
	kvmexit_policy_close(policy);
	return CHECK(ctx, !kvmexit_unpin_beside("/sys/fs/bpf/nothing-pinned"), "unpin nothing");
}

static bool library_check(struct scenario_ctx *ctx)
{
	uint64_t answered = 0, vm_id = 0;
	unsigned int i;
	char version[16];

	snprintf(version, sizeof(version), "%d.%d", LIBKVMEXIT_MAJOR_VERSION,
		 LIBKVMEXIT_MINOR_VERSION);
	if (!CHECK(ctx, ctx->step == sizeof(phases) / sizeof(phases[0]), "%u phases run",
		   ctx->step) ||
	    !CHECK(ctx, !strcmp(kvmexit_version(), version), "library %s, header %s",
		   kvmexit_version(), version) ||
	    !CHECK(ctx, kvmexit_kernel_supported() == 0, "kernel not supported: %d",
		   kvmexit_kernel_supported()) ||
	    !CHECK(ctx, !strcmp(kvmexit_origin_name(KVMEXIT_ORIGIN_CGROUP), "cgroup"), "origin") ||
	    !CHECK(ctx, kvmexit_read_vm_id(ctx->vm.fd, &vm_id) == 0 && vm_id, "VM id %llu",
		   (unsigned long long)vm_id))
		return false;
	/* Each policy's own count: its phase's calls (A both of the first two). */
	for (i = 0; i < sizeof(policies) / sizeof(policies[0]); i++) {
		struct bpf_map *bss;
		uint64_t *n = NULL;
		size_t size;

		if (!policies[i])
			continue;
		bss = bpf_object__find_map_by_name(kvmexit_policy_object(policies[i]),
						   "lib_poli.bss");
		if (bss)
			n = bpf_map__initial_value(bss, &size);
		answered += n && size >= sizeof(*n) ? *n : 0;
	}
	printf("testvmm: %s: the policies answered %llu calls; KVM's counters follow\n",
	       ctx->scenario->name, (unsigned long long)answered);
	return CHECK(ctx, answered == ANSWERED_PHASES * LIB_CALLS, "policies answered %llu, "
		     "expected %d", (unsigned long long)answered, ANSWERED_PHASES * LIB_CALLS) &&
	       check_stats(ctx) && check_refusals(ctx);
}

static void library_cleanup(struct scenario_ctx *ctx)
{
	unsigned int i;

	kvmexit_detach_pinned(PIN);
	rmdir(PIN_DIR);
	for (i = 0; i < sizeof(policies) / sizeof(policies[0]); i++)
		kvmexit_policy_close(policies[i]);
}

const struct scenario scenario_library = {
	.name = "library",
	.description = "libkvmexit's every function on a real VM: attach, maps, replace, detach",
	.guest = &guest_library,
	.handle_exit = library_exit,
	.check = library_check,
	.cleanup = library_cleanup,
};
