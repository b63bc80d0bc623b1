// SPDX-License-Identifier: GPL-2.0
/*
 * The real-time clock of policies/pl031.bpf.c, frozen at reset until started as the PL031
 * TRM has it (pl031_start_at_reset=0), driven by a bare-metal guest
 * (tests/guest/pl031.c): no access to it reaches the VMM, its alarms interrupt the guest
 * from the policy's BPF timer, and the policy raised and lowered the SPI exactly as often
 * as the guest took the interrupt. At the end, with an alarm pending, this VMM detaches the
 * policy: when the timer fires, bpf_kvm_vm_set_spi() finds no VM (-ENODEV) and the guest
 * takes nothing.
 */
#include <time.h>
#include <bpf/libbpf.h>

#include "guests.h"
#include "policy.h"
#include "policy_tests.h"
#include "testdev.h"
#include "pl031.skel.h"

DECLARE_GUEST(pl031);

static struct pl031 *skel;
static struct bpf_link *link;

static void pl031_setup(struct scenario_ctx *ctx)
{
	skel = policy_open(pl031, ctx->vm.fd);
	skel->rodata->pl031_base = PL031_TEST_BASE;
	skel->rodata->pl031_spi = PL031_TEST_SPI;
	skel->rodata->pl031_epoch = PL031_TEST_EPOCH;
	skel->rodata->pl031_start_at_reset = 0;
	policy_load_opened(pl031, skel);
	link = policy_attach(skel->maps.pl031);
}

/* Until the policy's alarm count reaches @n: false after 60 s (a bound against a hang). */
static bool wait_alarms(uint64_t n)
{
	struct timespec pause = { 0, 10 * 1000 * 1000 };
	int i;

	for (i = 0; i < 6000; i++) {
		if (__atomic_load_n(&skel->bss->alarms, __ATOMIC_ACQUIRE) >= n)
			return true;
		nanosleep(&pause, NULL);
	}
	return false;
}

/* The guest's request, an alarm pending: detach, and let the alarm's timer fire. */
static bool pl031_detach(struct scenario_ctx *ctx)
{
	const struct pl031__bss *bss = skel->bss;
	uint64_t before = bss->alarms;

	if (bss->last_error)
		return scenario_fail(ctx, "before the detach: last_error %d", bss->last_error);
	if (before != PL031_TEST_ALARMS - 1)
		return scenario_fail(ctx, "%llu alarms when detaching, expected %d: the last one "
				     "fired before the detach (a machine this slow cannot show "
				     "the claim)", (unsigned long long)before,
				     PL031_TEST_ALARMS - 1);
	bpf_link__destroy(link);
	link = NULL;
	if (!wait_alarms(PL031_TEST_ALARMS))
		return scenario_fail(ctx, "the alarm pending at detach never fired");
	if (bss->last_error != -ENODEV)
		return scenario_fail(ctx, "the timer after detach: bpf_kvm_vm_set_spi() returned "
				     "%d, expected -ENODEV", bss->last_error);
	printf("testvmm: %s: detached with an alarm pending; its timer fired and "
	       "bpf_kvm_vm_set_spi() got %s\n", ctx->scenario->name, strerror(-bss->last_error));
	return true;
}

static bool pl031_exit(struct scenario_ctx *ctx)
{
	struct kvm_run *run = ctx->vcpu.run;
	char what[256];

	if (run->exit_reason == KVM_EXIT_MMIO && run->mmio.is_write && link &&
	    run->mmio.phys_addr == TESTDEV_BASE + TESTDEV_DATA + PL031_TEST_DETACH)
		return pl031_detach(ctx);
	describe_exit(&ctx->vcpu, what, sizeof(what));
	return scenario_fail(ctx, "unexpected exit %s: the policy emulates the RTC", what);
}

static bool pl031_check(struct scenario_ctx *ctx)
{
	const struct pl031__bss *bss = skel->bss;
	uint64_t handled = policy_stat(ctx, "mmio", "handled");

	if (link)
		return scenario_fail(ctx, "the guest never asked for the detach");
	if (bss->alarms != PL031_TEST_ALARMS || bss->irq_raised != PL031_TEST_IRQS + 1 ||
	    bss->irq_lowered != PL031_TEST_IRQS)
		return scenario_fail(ctx, "alarms %llu, SPI raised %llu lowered %llu; expected %d, "
				     "%d (one after detach, refused) and %d",
				     (unsigned long long)bss->alarms,
				     (unsigned long long)bss->irq_raised,
				     (unsigned long long)bss->irq_lowered, PL031_TEST_ALARMS,
				     PL031_TEST_IRQS + 1, PL031_TEST_IRQS);
	if (handled != bss->accesses || policy_stat(ctx, "mmio", "to_user") ||
	    policy_stat(ctx, "mmio", "errors"))
		return scenario_fail(ctx, "exit_bpf_mmio_handled %llu (policy: %llu accesses), "
				     "to_user or errors not 0", (unsigned long long)handled,
				     (unsigned long long)bss->accesses);
	printf("testvmm: %s: %llu RTC accesses in BPF, %d alarms, %d interrupts taken\n",
	       ctx->scenario->name, (unsigned long long)handled, PL031_TEST_ALARMS,
	       PL031_TEST_IRQS);
	return true;
}

static void pl031_cleanup(struct scenario_ctx *ctx)
{
	bpf_link__destroy(link);
	pl031__destroy(skel);
}

const struct scenario scenario_policy_pl031 = {
	.name = "policy-pl031",
	.description = "a PL031 real-time clock emulated by policies/pl031.bpf.c",
	.guest = &guest_pl031,
	.setup = pl031_setup,
	.handle_exit = pl031_exit,
	.check = pl031_check,
	.cleanup = pl031_cleanup,
};
