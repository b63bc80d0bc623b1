// SPDX-License-Identifier: GPL-2.0
/*
 * The fast path (kernel-hooks patch 8): exits a policy answers are handled right after the
 * guest exits and the guest is re-entered without the run loop, in VHE. These scenarios
 * run guests that exit flat out that way (tests/guest/fastpath.c, with
 * tests/bpf/fastpath_device.bpf.c) and check that what the run loop brings still arrives:
 * the vCPU's timer interrupt and an SPI another vCPU raises (policy-fastpath), a signal
 * (policy-fastpath-signal), the host scheduler with two vCPUs on one CPU
 * (policy-fastpath-shared); that every exit was answered once, and that the fast path took
 * them (KVM's exit_bpf_fastpath) or, switched off, none (policy-fastpath-off), and that an SPI a
 * BPF timer raises in softirq while vCPUs run reaches the guest.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "guests.h"
#include "policy.h"
#include "policy_tests.h"
#include "fastpath_device.skel.h"

DECLARE_GUEST(fastpath);
DECLARE_GUEST(fastpath_shared);
DECLARE_GUEST(fastpath_spin);

#define SIGNAL_AFTER	10000	/* reads the policy answered before the signal */
#define WAIT_SECONDS	60

static struct fastpath_device *skel;
static struct bpf_link *fastpath_link;
static cpu_set_t saved_cpus;

static void attach(struct scenario_ctx *ctx)
{
	skel = policy_load(fastpath_device, ctx->vm.fd);
	fastpath_link = policy_attach(skel->maps.fastpath_device);
}

static void setup_on(struct scenario_ctx *ctx)
{
	set_exit_bpf_fastpath(true);
	attach(ctx);
}

static void setup_off(struct scenario_ctx *ctx)
{
	set_exit_bpf_fastpath(false);
	attach(ctx);
}

static void on_signal(int sig)
{
}

static void setup_signal(struct scenario_ctx *ctx)
{
	struct sigaction action = { .sa_handler = on_signal };

	sigaction(SIGUSR2, &action, NULL);
	setup_on(ctx);
}

/* Both vCPU threads, created after this, on the host CPU this thread runs on now. */
static void setup_shared(struct scenario_ctx *ctx)
{
	cpu_set_t one;

	if (sched_getaffinity(0, sizeof(saved_cpus), &saved_cpus))
		die("sched_getaffinity: %s", strerror(errno));
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	if (sched_setaffinity(0, sizeof(one), &one))
		die("sched_setaffinity: %s", strerror(errno));
	setup_on(ctx);
}

static bool unexpected_exit(struct scenario_ctx *ctx)
{
	char what[256];

	describe_exit(&ctx->vcpu, what, sizeof(what));
	return scenario_fail(ctx, "unexpected exit %s: the policy should have handled it", what);
}

static uint64_t vcpu_stat(struct scenario_ctx *ctx, unsigned int i, const char *name)
{
	return kvm_read_stat(ctx->vcpus[i].vcpu.fd, name);
}

/*
 * vCPU @i's exits the fast path handled: with it on, every exit the policy saw that it can
 * take (MMIO, and HVC calls the policy answered; declined calls go to KVM's SMCCC
 * handling in the run loop), else none.
 */
static bool check_fastpath_count(struct scenario_ctx *ctx, unsigned int i, bool on)
{
	uint64_t fast = vcpu_stat(ctx, i, "exit_bpf_fastpath"), expected = 0;
	static const char *const counted[][2] = {
		{ "mmio", "handled" }, { "mmio", "defaulted" }, { "mmio", "to_user" },
		{ "hvc", "handled" }, { "hvc", "to_user" },
	};
	unsigned int j;

	if (on) {
		for (j = 0; j < sizeof(counted) / sizeof(counted[0]); j++) {
			char name[64];

			snprintf(name, sizeof(name), "exit_bpf_%s_%s", counted[j][0], counted[j][1]);
			expected += vcpu_stat(ctx, i, name);
		}
	}
	printf("testvmm: %s: vCPU %u: %llu exits in the fast path, %llu MMIO reads answered\n",
	       ctx->scenario->name, i, (unsigned long long)fast,
	       (unsigned long long)skel->bss->reads[i]);
	if (fast != expected)
		return scenario_fail(ctx, "vCPU %u: exit_bpf_fastpath %llu, expected %llu", i,
				     (unsigned long long)fast, (unsigned long long)expected);
	return true;
}

static bool check_policy_errors(struct scenario_ctx *ctx)
{
	if (skel->bss->last_error)
		return scenario_fail(ctx, "bpf_kvm_exit_set_spi() failed: %s",
				     strerror(-skel->bss->last_error));
	return true;
}

static bool check_irqs(struct scenario_ctx *ctx, bool on)
{
	unsigned int i;

	if (!check_policy_errors(ctx))
		return false;
	if (skel->bss->timer_fired != 1 || skel->bss->timer_result)
		return scenario_fail(ctx, "the device's timer fired %llu times, last: %s",
				     (unsigned long long)skel->bss->timer_fired,
				     strerror(-skel->bss->timer_result));
	for (i = 0; i < ctx->nr_vcpus; i++) {
		if (!check_fastpath_count(ctx, i, on))
			return false;
	}
	/* vCPU 1 raised the SPI only after 1000 of vCPU 0's reads. */
	if (on && vcpu_stat(ctx, 0, "exit_bpf_fastpath") < 1000)
		return scenario_fail(ctx, "vCPU 0 exited fewer than 1000 times in the fast path");
	return true;
}

static bool check_on(struct scenario_ctx *ctx)
{
	return check_irqs(ctx, true);
}

static bool check_off(struct scenario_ctx *ctx)
{
	return check_irqs(ctx, false);
}

static bool check_shared(struct scenario_ctx *ctx)
{
	unsigned int i;

	for (i = 0; i < ctx->nr_vcpus; i++) {
		if (!check_fastpath_count(ctx, i, true))
			return false;
		if (skel->bss->reads[i] < FAST_SHARED_READS)
			return scenario_fail(ctx, "vCPU %u: %llu reads, expected %u at least", i,
					     (unsigned long long)skel->bss->reads[i],
					     FAST_SHARED_READS);
	}
	return true;
}

/*
 * Once vCPU 0 exits flat out, signal its thread: KVM_RUN must return (immediate_exit makes
 * vcpu_run() report it instead of calling KVM_RUN again). Its progress is read from the
 * policy's counters: a vCPU ioctl, KVM_GET_STATS_FD too, waits for KVM_RUN to return.
 */
static bool signal_vcpu(struct scenario_ctx *ctx)
{
	time_t end = time(NULL) + WAIT_SECONDS;

	while (__atomic_load_n(&skel->bss->reads[0], __ATOMIC_RELAXED) < SIGNAL_AFTER) {
		if (time(NULL) > end)
			return scenario_fail(ctx, "fewer than %u reads answered in %u s",
					     SIGNAL_AFTER, WAIT_SECONDS);
		usleep(10000);
	}
	__atomic_store_n(&ctx->vcpu.run->immediate_exit, 1, __ATOMIC_RELEASE);
	pthread_kill(ctx->thread, SIGUSR2);
	return true;
}

static bool check_signal(struct scenario_ctx *ctx)
{
	if (ctx->stopped_with != EINTR)
		return scenario_fail(ctx, "KVM_RUN did not return for the signal");
	/* The guest never exits to the VMM: only the signal could end KVM_RUN. */
	if (ctx->nr_exits)
		return scenario_fail(ctx, "%u exits reached the VMM, expected none",
				     ctx->nr_exits);
	return check_fastpath_count(ctx, 0, true);
}

static void cleanup(struct scenario_ctx *ctx)
{
	bpf_link__destroy(fastpath_link);
	fastpath_device__destroy(skel);
	set_exit_bpf_fastpath(true);
}

static void cleanup_shared(struct scenario_ctx *ctx)
{
	cleanup(ctx);
	sched_setaffinity(0, sizeof(saved_cpus), &saved_cpus);
}

const struct scenario scenario_policy_fastpath = {
	.name = "policy-fastpath",
	.description = "exits through the fast path still bring the timer's IRQ and an SPI",
	.guest = &guest_fastpath,
	.nr_vcpus = 2,
	.setup = setup_on,
	.handle_exit = unexpected_exit,
	.check = check_on,
	.cleanup = cleanup,
};

const struct scenario scenario_policy_fastpath_off = {
	.name = "policy-fastpath-off",
	.description = "policy-fastpath with kvm.exit_bpf_fastpath off: the same, none fast",
	.guest = &guest_fastpath,
	.nr_vcpus = 2,
	.setup = setup_off,
	.handle_exit = unexpected_exit,
	.check = check_off,
	.cleanup = cleanup,
};

const struct scenario scenario_policy_fastpath_signal = {
	.name = "policy-fastpath-signal",
	.description = "a signal ends KVM_RUN of a vCPU exiting flat out through the fast path",
	.guest = &guest_fastpath_spin,
	.setup = setup_signal,
	.handle_exit = unexpected_exit,
	.check = check_signal,
	.cleanup = cleanup,
	.stops_with = EINTR,
	.background = signal_vcpu,
};

const struct scenario scenario_policy_fastpath_shared = {
	.name = "policy-fastpath-shared",
	.description = "two vCPUs exiting through the fast path on one host CPU both progress",
	.guest = &guest_fastpath_shared,
	.nr_vcpus = 2,
	.setup = setup_shared,
	.handle_exit = unexpected_exit,
	.check = check_shared,
	.cleanup = cleanup_shared,
};

/* For tests/suites/fastpath-stop.sh: a vCPU in the fast path until the VMM is killed. */
const struct scenario scenario_policy_fastpath_spin = {
	.name = "policy-fastpath-spin",
	.description = "exits through the fast path until the VMM is killed",
	.guest = &guest_fastpath_spin,
	.setup = setup_on,
	.handle_exit = unexpected_exit,
	.cleanup = cleanup,
};
