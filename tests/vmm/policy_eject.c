// SPDX-License-Identifier: GPL-2.0
/*
 * A policy that keeps returning a verdict its exit forbids (tests/bpf/bad_verdict.bpf.c):
 * every call still gets KVM's default (here the filter forwards it, so the VMM answers),
 * each bad verdict is counted, and the VM ejects the policy, says why on the VM's
 * statistics and on the link (EPOLLHUP, as after a detach), and accepts another. A policy
 * that asked to fail closed stops its VM instead: KVM_RUN fails with EIO, the guest never
 * runs unpoliced.
 */
#include <poll.h>
#include <time.h>

#include "guests.h"
#include "policy.h"
#include "policy_tests.h"
#include "bad_verdict.skel.h"
#include "nisv_policy.skel.h"

DECLARE_GUEST(hvc_storm);

/* The kernel's limit, KVM_ARM_EXIT_MAX_ERRORS. */
#define MAX_BAD_VERDICTS	64
#define EJECT_REASON_BAD_VERDICTS	1

static struct bad_verdict *skel;
static struct bpf_link *link;

static void policy_eject_setup(struct scenario_ctx *ctx)
{
	forward_test_range(ctx);
	skel = policy_load(bad_verdict, ctx->vm.fd);
	link = policy_attach(skel->maps.bad_verdict);
}

static void policy_eject_closed_setup(struct scenario_ctx *ctx)
{
	forward_test_range(ctx);
	skel = policy_open(bad_verdict, ctx->vm.fd);
	skel->struct_ops.bad_verdict->flags |= POLICY_FAIL_CLOSED;
	policy_load_opened(bad_verdict, skel);
	link = policy_attach(skel->maps.bad_verdict);
}

/* Does the link report its policy gone (EPOLLHUP)? 60 s at most: a bound against a hang. */
static bool link_hung_up(void)
{
	struct pollfd hup = { .fd = bpf_link__fd(link), .events = POLLHUP };

	return poll(&hup, 1, 60 * 1000) == 1 && (hup.revents & POLLHUP);
}

static bool policy_eject_exit(struct scenario_ctx *ctx)
{
	struct kvm_run *run = ctx->vcpu.run;
	uint64_t x1;

	if (!expect_exit_reason(ctx, KVM_EXIT_HYPERCALL))
		return false;
	x1 = vcpu_get_reg(&ctx->vcpu, 1);
	if (ctx->vcpu.stopped)
		return true;	/* a fail-closed policy's VM: KVM_RUN says EIO next */
	if (run->hypercall.nr != HVC_DEFAULT || x1 != ctx->step)
		return scenario_fail(ctx, "call %#llx with x1 %llu, expected %#x with %u",
				     (unsigned long long)run->hypercall.nr,
				     (unsigned long long)x1, HVC_DEFAULT, ctx->step);
	answer_hypercall(ctx);
	ctx->step++;
	return true;
}

/*
 * Ejection runs from a work item: wait for it after the guest finished (60 s at most, a
 * bound against a hang, not a measure of speed).
 */
static uint64_t wait_for_ejection(struct scenario_ctx *ctx)
{
	struct timespec pause = { 0, 10 * 1000 * 1000 };
	uint64_t reason = 0;
	int i;

	for (i = 0; i < 6000 && !reason; i++) {
		reason = kvm_read_stat(ctx->vm.fd, "exit_bpf_ejected");
		if (!reason)
			nanosleep(&pause, NULL);
	}
	return reason;
}

static bool policy_eject_check(struct scenario_ctx *ctx)
{
	uint64_t reason = wait_for_ejection(ctx);
	uint64_t errors = policy_stat(ctx, "hvc", "errors");
	struct nisv_policy *other;
	struct bpf_link *other_link;

	if (ctx->step != HVC_STORM_CALLS)
		return scenario_fail(ctx, "%u calls answered, expected %d", ctx->step,
				     HVC_STORM_CALLS);
	if (reason != EJECT_REASON_BAD_VERDICTS)
		return scenario_fail(ctx, "exit_bpf_ejected %llu, expected %d",
				     (unsigned long long)reason, EJECT_REASON_BAD_VERDICTS);
	if (errors != skel->bss->calls || errors < MAX_BAD_VERDICTS)
		return scenario_fail(ctx, "exit_bpf_hvc_errors %llu, policy calls %llu; expected "
				     "equal and at least %d", (unsigned long long)errors,
				     (unsigned long long)skel->bss->calls, MAX_BAD_VERDICTS);
	if (!link_hung_up())
		return scenario_fail(ctx, "the ejected policy's link does not report EPOLLHUP");
	printf("testvmm: %s: ejected after %llu bad verdicts of %d calls, its link hung up\n",
	       ctx->scenario->name, (unsigned long long)errors, HVC_STORM_CALLS);

	/* The ejected policy no longer holds the VM: another one can attach. */
	other = policy_load(nisv_policy, ctx->vm.fd);
	other_link = bpf_map__attach_struct_ops(other->maps.nisv_policy);
	if (!other_link) {
		nisv_policy__destroy(other);
		return scenario_fail(ctx, "a new policy cannot attach after ejection: %s",
				     strerror(errno));
	}
	bpf_link__destroy(other_link);
	nisv_policy__destroy(other);
	return true;
}

/* The VM stopped once the policy was ejected: the calls before it, none after. */
static bool policy_eject_closed_check(struct scenario_ctx *ctx)
{
	if (ctx->stopped_with != EIO)
		return scenario_fail(ctx, "the guest finished its %u calls: the VM kept running "
				     "without its fail-closed policy", ctx->step);
	if (ctx->step >= HVC_STORM_CALLS || skel->bss->calls < MAX_BAD_VERDICTS)
		return scenario_fail(ctx, "KVM_RUN failed with EIO after %u calls, %llu bad "
				     "verdicts; expected at least %d", ctx->step,
				     (unsigned long long)skel->bss->calls, MAX_BAD_VERDICTS);
	if (!link_hung_up())
		return scenario_fail(ctx, "the ejected policy's link does not report EPOLLHUP");
	printf("testvmm: %s: VM stopped (KVM_RUN: EIO) after %u calls, %llu bad verdicts\n",
	       ctx->scenario->name, ctx->step, (unsigned long long)skel->bss->calls);
	return true;
}

static void policy_eject_cleanup(struct scenario_ctx *ctx)
{
	bpf_link__destroy(link);
	bad_verdict__destroy(skel);
}

const struct scenario scenario_policy_eject = {
	.name = "policy-eject",
	.description = "a policy returning forbidden verdicts: defaults, counted, ejected",
	.guest = &guest_hvc_storm,
	.setup = policy_eject_setup,
	.handle_exit = policy_eject_exit,
	.check = policy_eject_check,
	.cleanup = policy_eject_cleanup,
};

const struct scenario scenario_policy_eject_closed = {
	.name = "policy-eject-closed",
	.description = "a fail-closed policy returning forbidden verdicts: its VM stops",
	.guest = &guest_hvc_storm,
	.setup = policy_eject_closed_setup,
	.handle_exit = policy_eject_exit,
	.check = policy_eject_closed_check,
	.cleanup = policy_eject_cleanup,
	.stops_with = EIO,
};
