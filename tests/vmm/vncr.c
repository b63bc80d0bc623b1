// SPDX-License-Identifier: GPL-2.0
/*
 * VNCR_EL2 faults of a guest hypervisor running a nested guest hypervisor (guest
 * tests/guest/vncr.c; host booted with kvm-arm.mode=nested). Without a policy a failed
 * translation reaches the guest hypervisor as KVM reports it; with
 * tests/bpf/vncr_policy.bpf.c every fault is observed and the failed one is reported by the
 * policy's verdict: an external abort with EA set, which KVM's own report has not, so what
 * the guest hypervisor got tells which of the two reached it.
 */
#include "guests.h"
#include "policy.h"
#include "policy_tests.h"
#include "testdev.h"
#include "vncr_policy.skel.h"

DECLARE_GUEST(vncr);

static struct vncr_policy *skel;
static struct bpf_link *link;
/* The ESR the guest hypervisor reported for the failed translation. */
static uint64_t reported_esr;

/* The only exit the VMM sees: the guest hypervisor's report of the failed translation. */
bool vncr_exit(struct scenario_ctx *ctx)
{
	struct kvm_run *run = ctx->vcpu.run;
	uint64_t esr = 0;

	if (!expect_exit_reason(ctx, KVM_EXIT_MMIO))
		return false;
	if (!run->mmio.is_write ||
	    run->mmio.phys_addr != TESTDEV_BASE + TESTDEV_DATA + VNCR_OFF_ESR)
		return scenario_fail(ctx, "MMIO %#llx reached the VMM",
				     (unsigned long long)run->mmio.phys_addr);
	memcpy(&esr, run->mmio.data, run->mmio.len);
	reported_esr = esr;
	printf("testvmm: %s: the guest hypervisor got ESR %#llx for the failed translation\n",
	       ctx->scenario->name, (unsigned long long)esr);
	return true;
}

/* KVM's own report: an external abort without EA (the guest checks the rest). */
static bool vncr_default_check(struct scenario_ctx *ctx)
{
	if (!reported_esr || (reported_esr & VNCR_ESR_EA))
		return scenario_fail(ctx, "ESR %#llx: not KVM's own report (EA set, or none)",
				     (unsigned long long)reported_esr);
	return true;
}

const struct scenario scenario_vncr_default = {
	.name = "vncr-default",
	.description = "a nested guest hypervisor's VNCR_EL2 faults, no policy",
	.guest = &guest_vncr,
	.vcpu_features = 1U << KVM_ARM_VCPU_HAS_EL2,
	.handle_exit = vncr_exit,	/* the guest hypervisor checks what it got */
	.check = vncr_default_check,
};

static void vncr_policy_setup(struct scenario_ctx *ctx)
{
	skel = policy_load(vncr_policy, ctx->vm.fd);
	link = policy_attach(skel->maps.vncr_policy);
}

static bool vncr_policy_check(struct scenario_ctx *ctx)
{
	uint64_t injected = policy_stat(ctx, "vncr", "injected");
	uint64_t defaulted = policy_stat(ctx, "vncr", "defaulted");

	printf("testvmm: %s: the policy saw %u VNCR faults, %u failed translations (last %d, "
	       "fault status %#x)\n", ctx->scenario->name, skel->bss->faults, skel->bss->failed,
	       skel->bss->last_result, skel->bss->last_fst);
	if (skel->bss->failed != 1 || skel->bss->faults < 2 || skel->bss->last_result >= 0)
		return scenario_fail(ctx, "expected one failed translation after a good one");
	if ((reported_esr & (VNCR_ESR_EA | 0x3f)) != VNCR_POLICY_ISS)
		return scenario_fail(ctx, "the guest hypervisor got ESR %#llx: not the policy's "
				     "ISS %#x", (unsigned long long)reported_esr, VNCR_POLICY_ISS);
	if (injected != 1 || defaulted != skel->bss->faults - 1)
		return scenario_fail(ctx, "statistics injected %llu defaulted %llu; expected 1 %u",
				     (unsigned long long)injected, (unsigned long long)defaulted,
				     skel->bss->faults - 1);
	return true;
}

static void vncr_policy_cleanup(struct scenario_ctx *ctx)
{
	bpf_link__destroy(link);
	vncr_policy__destroy(skel);
}

const struct scenario scenario_vncr_policy = {
	.name = "vncr-policy",
	.description = "the same faults observed by a policy, the failed one its INJECT",
	.guest = &guest_vncr,
	.vcpu_features = 1U << KVM_ARM_VCPU_HAS_EL2,
	.setup = vncr_policy_setup,
	.handle_exit = vncr_exit,
	.check = vncr_policy_check,
	.cleanup = vncr_policy_cleanup,
};
