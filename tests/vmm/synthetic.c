// SPDX-License-Identifier: GPL-2.0
/*
 * SYNTHETIC exits, for the two a guest in QEMU cannot take (no FEAT_LS64; external aborts
 * go straight to the guest): the guest asks, the VMM arms a rewritten syndrome through
 * debugfs, and the guest's next ordinary load reaches KVM's real routing as an SEA or as
 * LD64B/ST64BV. Policy: tests/bpf/synthetic.bpf.c.
 */
#include "guests.h"
#include "policy.h"
#include "policy_tests.h"
#include "testdev.h"
#include "synthetic.skel.h"

DECLARE_GUEST(synth_sea);
DECLARE_GUEST(synth_ldst64b);

#define FSC_EXTABT	0x10
#define ESR_LST(esr)	(((esr) >> 11) & 3)

static struct synthetic *skel;
static struct bpf_link *link;

static void attach_synthetic(struct scenario_ctx *ctx)
{
	skel = policy_load(synthetic, ctx->vm.fd);
	link = policy_attach(skel->maps.synthetic);
}

static void detach_synthetic(struct scenario_ctx *ctx)
{
	bpf_link__destroy(link);
	synthetic__destroy(skel);
}

static void sea_setup(struct scenario_ctx *ctx)
{
	vm_enable_cap(&ctx->vm, KVM_CAP_ARM_SEA_TO_USER, 0);
	attach_synthetic(ctx);
}

bool answer_forwarded_sea(struct scenario_ctx *ctx, uint64_t gpa)
{
	struct kvm_run *run = ctx->vcpu.run;

	if (!expect_exit_reason(ctx, KVM_EXIT_ARM_SEA))
		return false;
	if ((run->arm_sea.esr & 0x3f) != FSC_EXTABT ||
	    !(run->arm_sea.flags & KVM_EXIT_ARM_SEA_FLAG_GPA_VALID) || run->arm_sea.gpa != gpa)
		return scenario_fail(ctx, "SEA exit %u: esr %#llx flags %#llx gpa %#llx, expected "
				     "FSC %#x at %#llx", ctx->step,
				     (unsigned long long)run->arm_sea.esr,
				     (unsigned long long)run->arm_sea.flags,
				     (unsigned long long)run->arm_sea.gpa, FSC_EXTABT,
				     (unsigned long long)gpa);
	vcpu_inject_ext_dabt(&ctx->vcpu);
	ctx->step++;
	return true;
}

/* Only the SEA the policy forwards arrives; the VMM answers with an external abort. */
static bool sea_exit(struct scenario_ctx *ctx)
{
	if (ctx->step)
		return scenario_fail(ctx, "a second forwarded SEA");
	/* KVM reports the page (HPFAR); the policy saw the offset too. */
	return answer_forwarded_sea(ctx, (TESTDEV_BASE + TESTDEV_DATA + SEA_OFF_TO_USER) &
					 ~0xfffULL);
}

static bool sea_check(struct scenario_ctx *ctx)
{
	uint64_t injected = policy_stat(ctx, "sea", "injected");
	uint64_t to_user = policy_stat(ctx, "sea", "to_user");
	uint64_t errors = policy_stat(ctx, "sea", "errors");

	if (ctx->step != 1)
		return scenario_fail(ctx, "%u SEA exits reached the VMM, expected 1", ctx->step);
	if (injected != 2 || to_user != 1 || errors)
		return scenario_fail(ctx, "statistics injected %llu to_user %llu errors %llu; "
				     "expected 2 1 0", (unsigned long long)injected,
				     (unsigned long long)to_user, (unsigned long long)errors);
	return true;
}

const struct scenario scenario_synthetic_sea = {
	.name = "synthetic-sea",
	.description = "SYNTHETIC SEA: injected with a chosen ISS, forwarded, FnV kept",
	.guest = &guest_synth_sea,
	.setup = sea_setup,
	.handle_exit = sea_exit,
	.check = sea_check,
	.cleanup = detach_synthetic,
};

/* The forwarded LD64B and the refused ST64BV arrive, in that order. */
static bool ldst64b_exit(struct scenario_ctx *ctx)
{
	static const struct {
		uint32_t offset;
		uint64_t lst;
	} expected[] = {
		{ LDST_OFF_TO_USER, 2 },
		{ LDST_OFF_HANDLED, 1 },
	};
	struct kvm_run *run = ctx->vcpu.run;
	uint64_t ipa;

	if (!expect_exit_reason(ctx, KVM_EXIT_ARM_LDST64B))
		return false;
	if (ctx->step >= 2)
		return scenario_fail(ctx, "a third LDST64B exit");
	ipa = TESTDEV_BASE + TESTDEV_DATA + expected[ctx->step].offset;
	if (run->arm_nisv.fault_ipa != ipa || ESR_LST(run->arm_nisv.esr_iss) != expected[ctx->step].lst)
		return scenario_fail(ctx, "LDST64B exit %u: ipa %#llx esr %#llx, expected %#llx "
				     "with LST %llu", ctx->step,
				     (unsigned long long)run->arm_nisv.fault_ipa,
				     (unsigned long long)run->arm_nisv.esr_iss,
				     (unsigned long long)ipa,
				     (unsigned long long)expected[ctx->step].lst);
	vcpu_inject_ext_dabt(&ctx->vcpu);
	ctx->step++;
	return true;
}

static bool ldst64b_check(struct scenario_ctx *ctx)
{
	uint64_t handled = policy_stat(ctx, "ldst64b", "handled");
	uint64_t injected = policy_stat(ctx, "ldst64b", "injected");
	uint64_t to_user = policy_stat(ctx, "ldst64b", "to_user");
	uint64_t errors = policy_stat(ctx, "ldst64b", "errors");
	uint64_t refused = policy_stat(ctx, "ldst64b", "refused");

	if (ctx->step != 2)
		return scenario_fail(ctx, "%u LDST64B exits reached the VMM, expected 2", ctx->step);
	if (skel->bss->ldst64b_rt != 10)
		return scenario_fail(ctx, "the policy saw Rt x%u, expected x10",
				     skel->bss->ldst64b_rt);
	/* HANDLED for the ST64BV: a verdict the kind allows but not that access. */
	if (handled != 1 || injected != 1 || to_user != 1 || errors || refused != 1)
		return scenario_fail(ctx, "statistics handled %llu injected %llu to_user %llu "
				     "errors %llu refused %llu; expected 1 1 1 0 1",
				     (unsigned long long)handled, (unsigned long long)injected,
				     (unsigned long long)to_user, (unsigned long long)errors,
				     (unsigned long long)refused);
	return true;
}

const struct scenario scenario_synthetic_ldst64b = {
	.name = "synthetic-ldst64b",
	.description = "SYNTHETIC LD64B/ST64BV: completed, injected, forwarded, refused",
	.guest = &guest_synth_ldst64b,
	.setup = attach_synthetic,
	.handle_exit = ldst64b_exit,
	.check = ldst64b_check,
	.cleanup = detach_synthetic,
};
