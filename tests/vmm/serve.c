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
#include <unistd.h>

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

/*
 * serve, on a VM made again at the same fd: the first VM waits for a SIGUSR1 (kvmexit may
 * attach to it meanwhile), is destroyed, and the one made in its place, at the same fd
 * numbers, serves. kvmexit must not take the first VM's pins for the second's.
 */
static void serve_recreate_setup(struct scenario_ctx *ctx)
{
	int fd = ctx->vm.fd;

	serve_setup(ctx);
	printf("testvmm: %s: VM fd %d waits for SIGUSR1, then is made again\n",
	       ctx->scenario->name, fd);
	fflush(stdout);
	while (!__atomic_load_n(&stop_requested, __ATOMIC_ACQUIRE))
		usleep(10000);
	__atomic_store_n(&stop_requested, 0, __ATOMIC_RELEASE);
	vm_destroy(&ctx->vm, NULL, 0);
	vm_create(&ctx->vm);
	if (ctx->vm.fd != fd)
		die("%s: the VM made again is fd %d, not %d", ctx->scenario->name, ctx->vm.fd, fd);
	forward_test_range(ctx);
	printf("testvmm: %s: VM fd %d made again\n", ctx->scenario->name, fd);
	fflush(stdout);
}

/* kvmexit attaches hypercall_filter, which allows every call: each is the VMM's to answer. */
static bool serve_recreate_check(struct scenario_ctx *ctx)
{
	uint64_t handled = policy_stat(ctx, "hvc", "handled");

	if (counts[0] || counts[1] || handled || counts[2] != answered)
		return scenario_fail(ctx, "policies answered %llu and %llu calls (KVM: %llu), the "
				     "VMM %lu, the guest counted %llu from it",
				     (unsigned long long)counts[0], (unsigned long long)counts[1],
				     (unsigned long long)handled, answered,
				     (unsigned long long)counts[2]);
	return true;
}

const struct scenario scenario_serve_recreate = {
	.name = "serve-recreate",
	.description = "serve, on a VM made again at the fd of one destroyed after a SIGUSR1",
	.guest = &guest_hvc_live,
	.setup = serve_recreate_setup,
	.handle_exit = serve_exit,
	.check = serve_recreate_check,
	.max_exits = UINT_MAX,
};
