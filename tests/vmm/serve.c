// SPDX-License-Identifier: GPL-2.0
/*
 * A VMM for the kvmexit CLI to act on from outside: the guest makes hypercalls
 * (tests/guest/hvc_live.c) until SIGUSR1, each answered by whichever policy kvmexit attached
 * meanwhile, or by this VMM. Then the guest's counts, this VMM's and KVM's statistics must
 * agree: every call a policy answered is counted as handled, exactly.
 */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "guests.h"
#include "policy_tests.h"
#include "testdev.h"

DECLARE_GUEST(hvc_live);

static int stop_requested;	/* lock-free, so the signal handler may store it */
static unsigned long answered;
static uint64_t counts[3];

static void on_usr1(int sig)
{
	__atomic_store_n(&stop_requested, 1, __ATOMIC_RELEASE);
}

static void serve_setup(struct scenario_ctx *ctx)
{
	struct sigaction sa = { .sa_handler = on_usr1 };

	sigaction(SIGUSR1, &sa, NULL);
	forward_test_range(ctx);
	printf("testvmm: %s: serving VM fd %d until SIGUSR1\n", ctx->scenario->name, ctx->vm.fd);
}

static bool serve_exit(struct scenario_ctx *ctx)
{
	return live_guest_exit(ctx, &answered, &stop_requested, counts);
}

static bool serve_check(struct scenario_ctx *ctx)
{
	uint64_t handled = policy_stat(ctx, "hvc", "handled");
	uint64_t errors = policy_stat(ctx, "hvc", "errors");
	uint64_t others = policy_stat(ctx, "hvc", "to_user") + policy_stat(ctx, "hvc", "refused") +
			  policy_stat(ctx, "hvc", "defaulted");

	printf("testvmm: %s: answered by tag A %llu, tag B %llu, the VMM %llu; KVM counted "
	       "handled %llu, errors %llu\n", ctx->scenario->name,
	       (unsigned long long)counts[0], (unsigned long long)counts[1],
	       (unsigned long long)counts[2], (unsigned long long)handled,
	       (unsigned long long)errors);
	if (handled != counts[0] + counts[1] || others || counts[2] != answered)
		return scenario_fail(ctx, "KVM's handled %llu != %llu answered by policies, or "
				     "other outcomes %llu, or the VMM answered %llu != %llu",
				     (unsigned long long)handled,
				     (unsigned long long)(counts[0] + counts[1]),
				     (unsigned long long)others, (unsigned long long)answered,
				     (unsigned long long)counts[2]);
	return true;
}

const struct scenario scenario_serve = {
	.name = "serve",
	.description = "hypercalls until SIGUSR1, for policies attached from outside",
	.guest = &guest_hvc_live,
	.setup = serve_setup,
	.handle_exit = serve_exit,
	.check = serve_check,
	.max_exits = UINT_MAX,	/* it runs until told to stop */
};

/* The same VM, created by another thread of this VMM (which KVM names it after). */
const struct scenario scenario_serve_thread = {
	.name = "serve-thread",
	.description = "serve, with the VM created by a thread of its own",
	.guest = &guest_hvc_live,
	.vm_from_thread = true,
	.setup = serve_setup,
	.handle_exit = serve_exit,
	.check = serve_check,
	.max_exits = UINT_MAX,
};
