// SPDX-License-Identifier: GPL-2.0
/*
 * Policies attached, replaced (BPF_LINK_UPDATE) and detached while the vCPU makes
 * hypercalls as fast as it can (tests/guest/hvc_live.c): each call is answered by policy A,
 * policy B or, with none attached, the VMM, and the counts on all three sides must agree.
 */
#include <time.h>

#include "guests.h"
#include "policy.h"
#include "policy_tests.h"
#include "testdev.h"
#include "live_policy.skel.h"

DECLARE_GUEST(hvc_live);

/* Fast attach/replace/detach cycles after the observed phases. */
#define LIVE_CYCLES	200
/* Calls each phase must see before the next starts. */
#define LIVE_PHASE_CALLS	50

static struct live_policy *policy_a, *policy_b;
static unsigned long vmm_answered;
static int stop;
static uint64_t guest_count[3];

static struct live_policy *load_tagged(struct scenario_ctx *ctx, uint64_t tag)
{
	struct live_policy *skel = policy_open(live_policy, ctx->vm.fd);

	skel->rodata->tag = tag;
	return policy_load_opened(live_policy, skel);
}

static void live_setup(struct scenario_ctx *ctx)
{
	forward_test_range(ctx);
	policy_a = load_tagged(ctx, LIVE_TAG_A);
	policy_b = load_tagged(ctx, LIVE_TAG_B);
}

bool live_guest_exit(struct scenario_ctx *ctx, unsigned long *answered, const int *stop,
		     uint64_t counts[3])
{
	struct kvm_run *run = ctx->vcpu.run;
	uint64_t off, value;

	if (run->exit_reason == KVM_EXIT_HYPERCALL && run->hypercall.nr == HVC_LIVE) {
		vcpu_set_reg(&ctx->vcpu, 0, LIVE_TAG_VMM);
		__atomic_add_fetch(answered, 1, __ATOMIC_RELAXED);
		return true;
	}
	if (!expect_exit_reason(ctx, KVM_EXIT_MMIO))
		return false;
	off = run->mmio.phys_addr - (TESTDEV_BASE + TESTDEV_DATA);
	if (!run->mmio.is_write && off == LIVE_OFF_STOP) {
		value = __atomic_load_n(stop, __ATOMIC_ACQUIRE);
		memcpy(run->mmio.data, &value, run->mmio.len);
		return true;
	}
	if (run->mmio.is_write && off <= LIVE_OFF_COUNT_VMM && !(off % 8)) {
		memcpy(&counts[off / 8], run->mmio.data, 8);
		return true;
	}
	return scenario_fail(ctx, "vCPU %d: unexpected MMIO at data offset %#llx", ctx->vcpu.id,
			     (unsigned long long)off);
}

static bool live_exit(struct scenario_ctx *ctx)
{
	return live_guest_exit(ctx, &vmm_answered, &stop, guest_count);
}

/* Wait for a counter to reach @target: false after 60 s (the guest stopped calling). */
static bool wait_for(struct scenario_ctx *ctx, const char *what, unsigned long *counter,
		     unsigned long target)
{
	struct timespec pause = { 0, 1000 * 1000 };
	int i;

	for (i = 0; i < 60 * 1000; i++) {
		if (__atomic_load_n(counter, __ATOMIC_RELAXED) >= target)
			return true;
		nanosleep(&pause, NULL);
	}
	return scenario_fail(ctx, "%s: stuck below %lu calls", what, target);
}

static struct bpf_link *attach(struct scenario_ctx *ctx, struct live_policy *skel)
{
	struct bpf_link *link = bpf_map__attach_struct_ops(skel->maps.live_policy);

	if (!link)
		scenario_fail(ctx, "attach to VM fd %d: %s", ctx->vm.fd, strerror(errno));
	return link;
}

static bool replace(struct scenario_ctx *ctx, struct bpf_link *link, struct live_policy *skel)
{
	if (bpf_link__update_map(link, skel->maps.live_policy))
		return scenario_fail(ctx, "replace (BPF_LINK_UPDATE): %s", strerror(errno));
	return true;
}

static bool live_phases(struct scenario_ctx *ctx)
{
	unsigned long *a = (unsigned long *)&policy_a->bss->answered;
	unsigned long *b = (unsigned long *)&policy_b->bss->answered;
	unsigned long vmm_before_replace, vmm_after_replace;
	struct bpf_link *link;
	int i;

	if (!wait_for(ctx, "no policy", &vmm_answered, LIVE_PHASE_CALLS))
		return false;
	link = attach(ctx, policy_a);
	if (!link || !wait_for(ctx, "policy A", a, LIVE_PHASE_CALLS))
		return false;
	/* A answers: from here to B answering, a call the VMM answers went without a policy. */
	vmm_before_replace = __atomic_load_n(&vmm_answered, __ATOMIC_RELAXED);
	if (!replace(ctx, link, policy_b) || !wait_for(ctx, "policy B", b, LIVE_PHASE_CALLS))
		return false;
	vmm_after_replace = __atomic_load_n(&vmm_answered, __ATOMIC_RELAXED);
	printf("testvmm: %s: during the replace of A by B, the VMM answered %lu calls\n",
	       ctx->scenario->name, vmm_after_replace - vmm_before_replace);
	if (vmm_after_replace != vmm_before_replace)
		return scenario_fail(ctx, "%lu calls reached the VMM during a replace",
				     vmm_after_replace - vmm_before_replace);
	bpf_link__destroy(link);
	if (!wait_for(ctx, "detached", &vmm_answered,
		      __atomic_load_n(&vmm_answered, __ATOMIC_RELAXED) + LIVE_PHASE_CALLS))
		return false;

	for (i = 0; i < LIVE_CYCLES; i++) {
		link = attach(ctx, i % 2 ? policy_b : policy_a);
		if (!link || !replace(ctx, link, i % 2 ? policy_a : policy_b))
			return false;
		bpf_link__destroy(link);
	}
	printf("testvmm: %s: %d attach/replace/detach cycles under load\n",
	       ctx->scenario->name, LIVE_CYCLES);
	return true;
}

static bool live_background(struct scenario_ctx *ctx)
{
	bool ok = live_phases(ctx);

	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	return ok;
}

static bool live_check(struct scenario_ctx *ctx)
{
	uint64_t handled = policy_stat(ctx, "hvc", "handled");
	uint64_t others = policy_stat(ctx, "hvc", "defaulted") + policy_stat(ctx, "hvc", "errors") +
			  policy_stat(ctx, "hvc", "to_user");

	printf("testvmm: %s: calls answered by A %llu, B %llu, the VMM %llu\n",
	       ctx->scenario->name, (unsigned long long)guest_count[0],
	       (unsigned long long)guest_count[1], (unsigned long long)guest_count[2]);
	if (guest_count[0] != policy_a->bss->answered || guest_count[1] != policy_b->bss->answered ||
	    guest_count[2] != vmm_answered)
		return scenario_fail(ctx, "the guest counted A %llu B %llu VMM %llu; A answered "
				     "%llu, B %llu, the VMM %lu",
				     (unsigned long long)guest_count[0],
				     (unsigned long long)guest_count[1],
				     (unsigned long long)guest_count[2],
				     (unsigned long long)policy_a->bss->answered,
				     (unsigned long long)policy_b->bss->answered, vmm_answered);
	if (handled != guest_count[0] + guest_count[1] || others)
		return scenario_fail(ctx, "exit_bpf_hvc_handled %llu (expected %llu), other "
				     "outcomes %llu (expected 0)", (unsigned long long)handled,
				     (unsigned long long)(guest_count[0] + guest_count[1]),
				     (unsigned long long)others);
	return true;
}

static void live_cleanup(struct scenario_ctx *ctx)
{
	live_policy__destroy(policy_a);
	live_policy__destroy(policy_b);
}

const struct scenario scenario_policy_live = {
	.name = "policy-live",
	.description = "attach, replace and detach while the vCPU makes hypercalls",
	.guest = &guest_hvc_live,
	.setup = live_setup,
	.handle_exit = live_exit,
	.check = live_check,
	.cleanup = live_cleanup,
	.background = live_background,
};
