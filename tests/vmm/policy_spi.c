// SPDX-License-Identifier: GPL-2.0
/*
 * A device emulated by a policy (tests/bpf/spi_device.bpf.c) interrupts the guest through
 * the in-kernel vGICv3: the guest takes exactly the IRQs the policy raised, and its
 * register accesses never reach the VMM.
 */
#include "guests.h"
#include "policy.h"
#include "spi_device.skel.h"

DECLARE_GUEST(spi);

static struct spi_device *skel;
static struct bpf_link *link;

static void spi_setup(struct scenario_ctx *ctx)
{
	skel = policy_load(spi_device, ctx->vm.fd);
	link = policy_attach(skel->maps.spi_device);
}

static bool spi_exit(struct scenario_ctx *ctx)
{
	char what[256];

	describe_exit(&ctx->vcpu, what, sizeof(what));
	return scenario_fail(ctx, "unexpected exit %s: the policy should have handled it", what);
}

static bool spi_check(struct scenario_ctx *ctx)
{
	if (skel->bss->last_error)
		return scenario_fail(ctx, "bpf_kvm_exit_set_spi() failed: %s",
				     strerror(-skel->bss->last_error));
	if (skel->bss->raised != 3 || skel->bss->lowered != 3)
		return scenario_fail(ctx, "the device raised %u and lowered %u times, expected 3",
				     skel->bss->raised, skel->bss->lowered);
	if (policy_stat(ctx, "mmio", "handled") != 6)
		return scenario_fail(ctx, "exit_bpf_mmio_handled %llu, expected 6",
				     (unsigned long long)policy_stat(ctx, "mmio", "handled"));
	return true;
}

static void spi_cleanup(struct scenario_ctx *ctx)
{
	bpf_link__destroy(link);
	spi_device__destroy(skel);
}

const struct scenario scenario_policy_spi = {
	.name = "policy-spi",
	.description = "a device emulated by a policy raises an SPI the guest takes",
	.guest = &guest_spi,
	.setup = spi_setup,
	.handle_exit = spi_exit,
	.check = spi_check,
	.cleanup = spi_cleanup,
};
