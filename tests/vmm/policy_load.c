// SPDX-License-Identifier: GPL-2.0
/*
 * Load: 4 vCPUs make hypercalls as fast as they can (guest hvc_load) while a thread of the
 * VMM attaches, replaces and detaches two policies in a loop (KVMEXIT_LOAD_SECONDS, default
 * 20, and at least KVMEXIT_LOAD_CYCLES cycles, default 0). Every call is accounted for, per
 * vCPU: the guest's counts of who answered, the policies' counts of their verdicts, KVM's
 * exit_bpf_hvc_* statistics and the calls the VMM answered must all agree. The policies'
 * hash map and ring buffer fill up early; their drops are counted and every record is found.
 *
 * policy-chain-load: the same, with policy A on the VM throughout and, ahead of it on the
 * chain, B attached, replaced by C (tagged as B) in its place, and detached, in a loop.
 * A is asked only where B or C declined; every call is still answered exactly once.
 */
#include <limits.h>
#include <stdlib.h>
#include <time.h>
#include <bpf/bpf.h>

#include "guests.h"
#include "policy.h"
#include "policy_tests.h"
#include "testdev.h"
#include "load_policy.skel.h"

DECLARE_GUEST(hvc_load);

#define LOAD_VCPUS	4
#define POLICY_BEFORE	(1U << 3)	/* KVM_ARM_EXIT_OPS_BEFORE */

static struct load_policy *policy_a, *policy_b, *policy_c;
static bool chained;		/* policy-chain-load */
static unsigned long vmm_answered[LOAD_VCPUS];
static uint64_t guest_count[LOAD_VCPUS][3];	/* A, B, the VMM: LIVE_OFF_COUNT_* / 8 */
static int stop;

static struct load_policy *load_tagged(struct scenario_ctx *ctx, uint64_t tag, uint32_t flags)
{
	struct load_policy *skel = policy_open(load_policy, ctx->vm.fd);

	skel->rodata->tag = tag;
	skel->struct_ops.load_policy->flags |= flags;
	return policy_load_opened(load_policy, skel);
}

static void load_setup(struct scenario_ctx *ctx)
{
	forward_test_range(ctx);
	policy_a = load_tagged(ctx, LIVE_TAG_A, 0);
	policy_b = load_tagged(ctx, LIVE_TAG_B, chained ? POLICY_BEFORE : 0);
	if (chained)
		policy_c = load_tagged(ctx, LIVE_TAG_B, POLICY_BEFORE);
}

static void chain_load_setup(struct scenario_ctx *ctx)
{
	chained = true;
	load_setup(ctx);
}

static bool load_exit(struct scenario_ctx *ctx)
{
	int id = ctx->vcpu.id;

	return live_guest_exit(ctx, &vmm_answered[id], &stop, guest_count[id]);
}

static unsigned long env_or(const char *name, unsigned long fallback)
{
	const char *value = getenv(name);

	return value ? strtoul(value, NULL, 0) : fallback;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Until every vCPU runs (vCPU 0 turned the others on with no policy in the way): 60 s. */
static bool wait_for_all_vcpus(struct scenario_ctx *ctx)
{
	struct timespec pause = { 0, 1000 * 1000 };
	unsigned int i, ready;
	int tries;

	for (tries = 0; tries < 60 * 1000; tries++) {
		for (i = 0, ready = 0; i < LOAD_VCPUS; i++)
			ready += __atomic_load_n(&vmm_answered[i], __ATOMIC_RELAXED) > 0;
		if (ready == LOAD_VCPUS)
			return true;
		nanosleep(&pause, NULL);
	}
	return scenario_fail(ctx, "only %u of %d vCPUs made calls", ready, LOAD_VCPUS);
}

/* One attach, replace and detach, starting with @first. */
static bool cycle(struct scenario_ctx *ctx, struct load_policy *first, struct load_policy *next)
{
	struct bpf_link *link = bpf_map__attach_struct_ops(first->maps.load_policy);

	if (!link)
		return scenario_fail(ctx, "attach to VM fd %d: %s", ctx->vm.fd, strerror(errno));
	if (bpf_link__update_map(link, next->maps.load_policy)) {
		scenario_fail(ctx, "replace (BPF_LINK_UPDATE): %s", strerror(errno));
		bpf_link__destroy(link);
		return false;
	}
	if (bpf_link__destroy(link))
		return scenario_fail(ctx, "detach: %s", strerror(errno));
	return true;
}

static bool load_cycles(struct scenario_ctx *ctx)
{
	unsigned long seconds = env_or("KVMEXIT_LOAD_SECONDS", 20);
	unsigned long min_cycles = env_or("KVMEXIT_LOAD_CYCLES", 0), cycles = 0;
	struct load_policy *first, *next;
	double start = now(), elapsed;
	struct bpf_link *link_a = NULL;
	bool ok = true;

	if (!wait_for_all_vcpus(ctx))
		return false;
	if (chained) {
		link_a = bpf_map__attach_struct_ops(policy_a->maps.load_policy);
		if (!link_a)
			return scenario_fail(ctx, "attach A: %s", strerror(errno));
	}
	do {
		if (chained) {
			first = cycles % 2 ? policy_c : policy_b;
			next = cycles % 2 ? policy_b : policy_c;
		} else {
			first = cycles % 2 ? policy_b : policy_a;
			next = cycles % 2 ? policy_a : policy_b;
		}
		ok = cycle(ctx, first, next);
		cycles++;
		elapsed = now() - start;
	} while (ok && (elapsed < seconds || cycles < min_cycles));
	if (link_a && bpf_link__destroy(link_a))
		ok = scenario_fail(ctx, "detach A: %s", strerror(errno));
	if (ok)
		printf("testvmm: %s: %lu attach/replace/detach cycles%s in %.1f s under %d "
		       "vCPUs' load\n", ctx->scenario->name, cycles,
		       chained ? " ahead of A on the chain" : "", elapsed, LOAD_VCPUS);
	return ok;
}

static bool load_background(struct scenario_ctx *ctx)
{
	bool ok = load_cycles(ctx);

	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	return ok;
}

static int count_record(void *counter, void *data, size_t size)
{
	(*(unsigned long *)counter)++;
	return 0;
}

/* A policy's log: map entries and ring records found, plus drops, cover every call. */
static bool check_log(struct scenario_ctx *ctx, const char *name, struct load_policy *skel)
{
	struct load_policy__bss *bss = skel->bss;
	unsigned long entries = 0, records = 0, calls = 0;
	uint64_t key, next;
	struct ring_buffer *ring;
	void *prev = NULL;
	int i;

	for (i = 0; i < LOAD_VCPUS; i++)
		calls += bss->handled[i] + bss->to_user[i] + bss->defaulted[i];
	while (!bpf_map_get_next_key(bpf_map__fd(skel->maps.calls), prev, &next)) {
		entries++;
		key = next;
		prev = &key;
	}
	ring = ring_buffer__new(bpf_map__fd(skel->maps.call_log), count_record, &records, NULL);
	if (!ring)
		return scenario_fail(ctx, "%s: ring buffer: %s", name, strerror(errno));
	ring_buffer__consume(ring);
	ring_buffer__free(ring);
	printf("testvmm: %s: policy %s saw %lu calls; map: %lu logged, %llu dropped when full; "
	       "ring buffer: %lu records, %llu dropped when full\n", ctx->scenario->name, name,
	       calls, entries, (unsigned long long)bss->map_dropped, records,
	       (unsigned long long)bss->ring_dropped);
	if (entries != bss->map_logged || bss->map_logged + bss->map_dropped != calls ||
	    records != bss->ring_logged || bss->ring_logged + bss->ring_dropped != calls)
		return scenario_fail(ctx, "%s: log does not cover its calls: map %lu entries "
				     "(%llu logged) + %llu dropped, ring %lu records (%llu logged)"
				     " + %llu dropped, %lu calls", name, entries,
				     (unsigned long long)bss->map_logged,
				     (unsigned long long)bss->map_dropped, records,
				     (unsigned long long)bss->ring_logged,
				     (unsigned long long)bss->ring_dropped, calls);
	if (calls > LOAD_MAP_ENTRIES && (!bss->map_dropped || !bss->ring_dropped))
		return scenario_fail(ctx, "%s: %lu calls and neither map nor ring buffer full",
				     name, calls);
	return true;
}

/* vCPU @v: the guest, both policies, KVM and the VMM agree on who answered each call. */
static bool check_vcpu(struct scenario_ctx *ctx, int v, uint64_t *total)
{
	struct scenario_ctx *vcpu = &ctx->vcpus[v];
	struct load_policy__bss *a = policy_a->bss, *b = policy_b->bss;
	/* With the chain, C answers as B, and only A's declines leave the exit to KVM. */
	uint64_t b_handled = b->handled[v] + (chained ? policy_c->bss->handled[v] : 0);
	uint64_t policies_to_user = a->to_user[v] + b->to_user[v] +
				    (chained ? policy_c->bss->to_user[v] : 0);
	uint64_t policies_defaulted = a->defaulted[v] + (chained ? 0 : b->defaulted[v]);
	uint64_t handled = policy_stat(vcpu, "hvc", "handled");
	uint64_t to_user = policy_stat(vcpu, "hvc", "to_user");
	uint64_t defaulted = policy_stat(vcpu, "hvc", "defaulted");
	uint64_t bad = policy_stat(vcpu, "hvc", "errors") + policy_stat(vcpu, "hvc", "refused");
	uint64_t *guest = guest_count[v], calls = guest[0] + guest[1] + guest[2];
	uint64_t forwarded = to_user + defaulted;

	printf("testvmm: %s: vCPU %d: %llu calls: A %llu, B %llu, the VMM %llu (policy TO_USER "
	       "%llu, DEFAULT %llu, no policy %llu)\n", ctx->scenario->name, v,
	       (unsigned long long)calls, (unsigned long long)guest[0],
	       (unsigned long long)guest[1], (unsigned long long)guest[2],
	       (unsigned long long)to_user, (unsigned long long)defaulted,
	       (unsigned long long)(guest[2] - forwarded));
	*total += calls;
	if (guest[0] != a->handled[v] || guest[1] != b_handled || guest[2] != vmm_answered[v])
		return scenario_fail(ctx, "vCPU %d: the guest counted A %llu B %llu VMM %llu; "
				     "A answered %llu, B %llu, the VMM %lu", v,
				     (unsigned long long)guest[0], (unsigned long long)guest[1],
				     (unsigned long long)guest[2],
				     (unsigned long long)a->handled[v],
				     (unsigned long long)b_handled, vmm_answered[v]);
	if (handled != guest[0] + guest[1] || to_user != policies_to_user ||
	    defaulted != policies_defaulted || bad)
		return scenario_fail(ctx, "vCPU %d: KVM counted handled %llu, to_user %llu, "
				     "defaulted %llu, errors+refused %llu; the policies %llu, "
				     "%llu, %llu, 0", v, (unsigned long long)handled,
				     (unsigned long long)to_user, (unsigned long long)defaulted,
				     (unsigned long long)bad,
				     (unsigned long long)(a->handled[v] + b_handled),
				     (unsigned long long)policies_to_user,
				     (unsigned long long)policies_defaulted);
	if (guest[2] < forwarded)
		return scenario_fail(ctx, "vCPU %d: the VMM answered %llu, fewer than the %llu "
				     "calls policies forwarded", v, (unsigned long long)guest[2],
				     (unsigned long long)forwarded);
	if (!guest[0] || !guest[1] || guest[2] == forwarded)
		return scenario_fail(ctx, "vCPU %d: a phase saw no calls (A, B or no policy)", v);
	return true;
}

static bool load_check(struct scenario_ctx *ctx)
{
	uint64_t total = 0;
	int v;

	for (v = 0; v < LOAD_VCPUS; v++)
		if (!check_vcpu(ctx, v, &total))
			return false;
	printf("testvmm: %s: %llu calls on %d vCPUs, each accounted for, none lost\n",
	       ctx->scenario->name, (unsigned long long)total, LOAD_VCPUS);
	return check_log(ctx, "A", policy_a) && check_log(ctx, "B", policy_b) &&
	       (!chained || check_log(ctx, "C", policy_c));
}

static void load_cleanup(struct scenario_ctx *ctx)
{
	load_policy__destroy(policy_a);
	load_policy__destroy(policy_b);
	load_policy__destroy(policy_c);
}

const struct scenario scenario_policy_load = {
	.name = "policy-load",
	.description = "4 vCPUs' hypercalls while policies are attached, replaced, detached",
	.guest = &guest_hvc_load,
	.nr_vcpus = LOAD_VCPUS,
	.setup = load_setup,
	.handle_exit = load_exit,
	.check = load_check,
	.cleanup = load_cleanup,
	.background = load_background,
	.max_exits = UINT_MAX,	/* it runs for a time, not a number of calls */
};

const struct scenario scenario_policy_chain_load = {
	.name = "policy-chain-load",
	.description = "4 vCPUs' hypercalls while a chain's first policy comes, is replaced, goes",
	.guest = &guest_hvc_load,
	.nr_vcpus = LOAD_VCPUS,
	.setup = chain_load_setup,
	.handle_exit = load_exit,
	.check = load_check,
	.cleanup = load_cleanup,
	.background = load_background,
	.max_exits = UINT_MAX,
};
