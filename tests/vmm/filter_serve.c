// SPDX-License-Identifier: GPL-2.0
/*
 * A VMM whose hypercall filter (policies/hypercall_filter.bpf.c) is attached and changed
 * from outside, by tests/suites/policies-filter.sh with kvmexit and bpftool. The guest
 * (tests/guest/hvc_filter.c) runs one phase of calls per SIGUSR1; only the calls the
 * script's rules leave to KVM's SMCCC filter or forward must arrive here, and KVM's
 * statistics must count each decision of the filter.
 */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "guests.h"
#include "policy_tests.h"
#include "testdev.h"

DECLARE_GUEST(hvc_filter);

static volatile sig_atomic_t phase;

static void on_usr1(int sig)
{
	phase++;
}

static void filter_serve_setup(struct scenario_ctx *ctx)
{
	struct sigaction sa = { .sa_handler = on_usr1 };

	sigaction(SIGUSR1, &sa, NULL);
	forward_test_range(ctx);
	printf("testvmm: %s: VM fd %d waits for a policy, then a SIGUSR1 per phase\n",
	       ctx->scenario->name, ctx->vm.fd);
}

/*
 * Phase 1: the allowed ids (KVM's filter forwards them), the policy's forwarded SMC and
 * both ends of the allowed range; phase 2: the id a run-time rule allowed; phase 3 (after a
 * replace that kept the rules): none; phase 4: the id a dry run would forward, left to KVM,
 * whose filter forwards it.
 */
static const struct expected_call forwarded[] = {
	{ TEST_SMCCC_FWD_BASE + 2, false, { 4, 5, 6 } },
	{ TEST_SMCCC_FWD_BASE + 3, true, { 7, 8, 9 } },
	{ TEST_SMCCC_FWD_BASE + 4, false, { 16, 17, 18 } },
	{ TEST_SMCCC_FWD_BASE, false, { 31, 32, 33 } },
	{ TEST_SMCCC_FWD_BASE + 15, false, { 34, 35, 36 } },
	{ TEST_SMCCC_FWD_BASE + 1, false, { 10, 11, 12 } },
	{ TEST_SMCCC_FWD_BASE + 3, false, { 28, 29, 30 } },
};
#define NR_FORWARDED	(sizeof(forwarded) / sizeof(forwarded[0]))

static bool filter_serve_exit(struct scenario_ctx *ctx)
{
	struct kvm_run *run = ctx->vcpu.run;
	uint64_t off, value = 0;

	if (run->exit_reason == KVM_EXIT_HYPERCALL)
		return check_and_answer_hypercall(ctx, forwarded, NR_FORWARDED);
	if (!expect_exit_reason(ctx, KVM_EXIT_MMIO))
		return false;
	off = run->mmio.phys_addr - (TESTDEV_BASE + TESTDEV_DATA);
	if (!run->mmio.is_write && off == FILTER_OFF_PHASE) {
		usleep(1000);	/* the guest is polling: let the script run */
		value = phase;
		memcpy(run->mmio.data, &value, run->mmio.len);
		return true;
	}
	if (run->mmio.is_write && off == FILTER_OFF_DONE) {
		memcpy(&value, run->mmio.data, run->mmio.len);
		printf("testvmm: %s: the guest finished phase %llu\n", ctx->scenario->name,
		       (unsigned long long)value);
		return true;
	}
	return scenario_fail(ctx, "unexpected MMIO at data offset %#llx",
			     (unsigned long long)off);
}

/*
 * The guest's 333 calls: the Arm Architecture Call is KVM's alone; the filter answered 3
 * information calls and denied 315 (HANDLED): 10 in phases 1 and 2, one of them because
 * its forward rule names an id the VMM's SMCCC filter does not forward (ctx->verdicts), 4
 * in phase 3 and the 301 of phase 5; it forwarded 1 and left 14 to KVM (DEFAULT): 10 it
 * allowed, 3 in its dry run, the information call's id once the call was off. KVM refused
 * nothing and counted no error.
 */
static bool filter_serve_check(struct scenario_ctx *ctx)
{
	uint64_t handled = policy_stat(ctx, "hvc", "handled");
	uint64_t to_user = policy_stat(ctx, "hvc", "to_user");
	uint64_t defaulted = policy_stat(ctx, "hvc", "defaulted");
	uint64_t errors = policy_stat(ctx, "hvc", "errors");
	uint64_t refused = policy_stat(ctx, "hvc", "refused");

	printf("testvmm: %s: %u calls reached the VMM; KVM counted handled %llu, to_user %llu, "
	       "defaulted %llu, errors %llu, refused %llu\n", ctx->scenario->name, ctx->step,
	       (unsigned long long)handled, (unsigned long long)to_user,
	       (unsigned long long)defaulted, (unsigned long long)errors,
	       (unsigned long long)refused);
	if (ctx->step != NR_FORWARDED || ctx->exits[KVM_EXIT_HYPERCALL] != NR_FORWARDED)
		return scenario_fail(ctx, "%u hypercall exits, expected %zu",
				     ctx->exits[KVM_EXIT_HYPERCALL], NR_FORWARDED);
	if (handled != 318 || to_user != 1 || defaulted != 14 || errors || refused)
		return scenario_fail(ctx, "statistics handled %llu to_user %llu defaulted %llu "
				     "errors %llu refused %llu; expected 318 1 14 0 0",
				     (unsigned long long)handled, (unsigned long long)to_user,
				     (unsigned long long)defaulted, (unsigned long long)errors,
				     (unsigned long long)refused);
	return true;
}

const struct scenario scenario_filter_serve = {
	.name = "filter-serve",
	.description = "hypercalls in phases (SIGUSR1), for hypercall_filter attached from outside",
	.guest = &guest_hvc_filter,
	.setup = filter_serve_setup,
	.handle_exit = filter_serve_exit,
	.check = filter_serve_check,
	.max_exits = UINT_MAX,	/* it waits for the script */
};
