// SPDX-License-Identifier: GPL-2.0
/*
 * policies/pl031.bpf.c with its defaults (tests/guest/pl031_reset.c): the guest's first
 * read of RTCDR is the host's UTC time, within 1 s and never ahead (h - 1 <= read <= h, h
 * the seconds of this VMM's CLOCK_REALTIME when it sees the report, after the guest's
 * read); then this VMM steps the host's clock an hour back, the guest reads RTCDR again,
 * and the counter must have moved by the time that passed, not by the step
 * (first <= second <= first + 2 + the whole CLOCK_MONOTONIC seconds between the reports,
 * for the fractions on both sides). The
 * clock is set right again at once. The guest never writes RTCCR: the counter counts from
 * reset and a match interrupt comes.
 */
#include <time.h>
#include <bpf/libbpf.h>

#include "guests.h"
#include "policy.h"
#include "policy_tests.h"
#include "testdev.h"
#include "pl031.skel.h"

DECLARE_GUEST(pl031_reset);

static struct pl031 *skel;
static struct bpf_link *link;
static bool stepped;		/* the host's clock is an hour back */
static uint32_t first_read;
static struct timespec first_seen;	/* CLOCK_MONOTONIC at the first report */

static void reset_setup(struct scenario_ctx *ctx)
{
	skel = policy_open(pl031, ctx->vm.fd);
	skel->rodata->pl031_base = PL031_TEST_BASE;
	skel->rodata->pl031_spi = PL031_TEST_SPI;
	policy_load_opened(pl031, skel);
	link = policy_attach(skel->maps.pl031);
}

/* Move the host's wall clock by @seconds; false (and why) if it cannot. */
static bool step_clock(struct scenario_ctx *ctx, long seconds)
{
	struct timespec now;

	if (clock_gettime(CLOCK_REALTIME, &now))
		return scenario_fail(ctx, "clock_gettime(CLOCK_REALTIME): %s", strerror(errno));
	now.tv_sec += seconds;
	if (clock_settime(CLOCK_REALTIME, &now))
		return scenario_fail(ctx, "clock_settime(CLOCK_REALTIME, %+ld s): %s", seconds,
				     strerror(errno));
	stepped = seconds < 0;
	return true;
}

/* The guest's first read: the host's UTC time now, to the second, never ahead. */
static bool check_wall(struct scenario_ctx *ctx, uint32_t read)
{
	struct timespec wall;

	clock_gettime(CLOCK_REALTIME, &wall);
	clock_gettime(CLOCK_MONOTONIC, &first_seen);
	first_read = read;
	if (read > wall.tv_sec || read < wall.tv_sec - 1)
		return scenario_fail(ctx, "RTCDR read %u at reset; the host's clock says %lld: "
				     "more than 1 s apart, or ahead", read,
				     (long long)wall.tv_sec);
	printf("testvmm: %s: RTCDR %u at reset, the host's clock %lld.%09ld\n",
	       ctx->scenario->name, read, (long long)wall.tv_sec, wall.tv_nsec);
	return step_clock(ctx, -PL031_RESET_STEP);
}

/* The guest's read after the step: moved by the time that passed only. */
static bool check_stepped(struct scenario_ctx *ctx, uint32_t read)
{
	struct timespec now;
	long long seconds;

	if (!step_clock(ctx, PL031_RESET_STEP))
		return false;
	clock_gettime(CLOCK_MONOTONIC, &now);
	seconds = now.tv_sec - first_seen.tv_sec;
	if (read < first_read || read > first_read + 2 + seconds)
		return scenario_fail(ctx, "RTCDR read %u after the host's clock went %d s back, "
				     "%u before it, %lld s earlier", read, PL031_RESET_STEP,
				     first_read, seconds);
	printf("testvmm: %s: RTCDR %u after the host's clock stepped %d s back (%u before)\n",
	       ctx->scenario->name, read, PL031_RESET_STEP, first_read);
	return true;
}

static bool reset_exit(struct scenario_ctx *ctx)
{
	struct kvm_run *run = ctx->vcpu.run;
	uint64_t off = run->mmio.phys_addr - (TESTDEV_BASE + TESTDEV_DATA), data = 0;
	char what[256];

	if (run->exit_reason == KVM_EXIT_MMIO && run->mmio.is_write && run->mmio.len == 8) {
		memcpy(&data, run->mmio.data, sizeof(data));
		if (off == PL031_RESET_WALL && ctx->step == 0) {
			ctx->step++;
			return check_wall(ctx, data);
		}
		if (off == PL031_RESET_STEPPED && ctx->step == 1) {
			ctx->step++;
			return check_stepped(ctx, data);
		}
	}
	describe_exit(&ctx->vcpu, what, sizeof(what));
	return scenario_fail(ctx, "unexpected exit %s: the policy emulates the RTC", what);
}

static bool reset_check(struct scenario_ctx *ctx)
{
	const struct pl031__bss *bss = skel->bss;
	uint64_t handled = policy_stat(ctx, "mmio", "handled");

	if (ctx->step != 2)
		return scenario_fail(ctx, "%u of the guest's 2 reports came", ctx->step);
	if (bss->alarms != 1 || bss->irq_raised != 1 || bss->irq_lowered != 1 ||
	    bss->last_error)
		return scenario_fail(ctx, "alarms %llu, SPI raised %llu lowered %llu, last_error "
				     "%d; expected 1, 1, 1, 0", (unsigned long long)bss->alarms,
				     (unsigned long long)bss->irq_raised,
				     (unsigned long long)bss->irq_lowered, bss->last_error);
	if (handled != bss->accesses || policy_stat(ctx, "mmio", "to_user"))
		return scenario_fail(ctx, "exit_bpf_mmio_handled %llu (policy: %llu accesses), "
				     "to_user not 0", (unsigned long long)handled,
				     (unsigned long long)bss->accesses);
	return true;
}

static void reset_cleanup(struct scenario_ctx *ctx)
{
	/* The host's clock right again, whatever failed between the two reports. */
	if (stepped)
		step_clock(ctx, PL031_RESET_STEP);
	bpf_link__destroy(link);
	pl031__destroy(skel);
}

const struct scenario scenario_policy_pl031_reset = {
	.name = "policy-pl031-reset",
	.description = "pl031.bpf.c's defaults: the host's UTC time, counting from reset",
	.guest = &guest_pl031_reset,
	.setup = reset_setup,
	.handle_exit = reset_exit,
	.check = reset_check,
	.cleanup = reset_cleanup,
};
