// SPDX-License-Identifier: GPL-2.0
/*
 * MMIO outside memslots: every access to the testdev data window is a KVM_EXIT_MMIO. Reads
 * are answered with TESTDEV_READ_PATTERN's low bytes; the guest checks what landed in Rt.
 */
#include <string.h>

#include "guests.h"
#include "testdev.h"

DECLARE_GUEST(mmio);

/* In the order of tests/guest/mmio_access.c; stores name no register (-1). */
const struct expected_access mmio_expected[] = {
	{ 0x00, 1, false, 0, 3, 0, 0 }, { 0x08, 2, false, 0, 9, 0, 0 },
	{ 0x10, 4, false, 0, 17, 0, 0 }, { 0x18, 8, false, 0, 28, 0, 1 },
	{ 0x20, 1, false, 0, 4, 1, 1 }, { 0x28, 2, false, 0, 5, 1, 1 },
	{ 0x30, 4, false, 0, 6, 1, 1 }, { 0x38, 2, false, 0, 7, 1, 0 },
	{ 0x40, 1, true, 0x5a, -1, 0, -1 },
	{ 0x48, 2, true, 0xbeef, -1, 0, -1 },
	{ 0x50, 4, true, 0xdeadbeef, -1, 0, -1 },
	{ 0x58, 8, true, 0x0123456789abcdefULL, -1, 0, -1 },
	{ 0x60, 8, true, 0, 31, 0, -1 },
	/* Big-endian (SCTLR_EL1.EE): the data bytes are as on the bus. */
	{ 0x68, 4, false, 0, 5, 0, 0 }, { 0x70, 2, false, 0, 6, 1, 1 },
	{ 0x78, 2, true, 0x3412, -1, 0, -1 },
};
const unsigned int mmio_nr_expected = sizeof(mmio_expected) / sizeof(mmio_expected[0]);
#define NR_ACCESSES	mmio_nr_expected

bool mmio_exit(struct scenario_ctx *ctx)
{
	struct kvm_run *run = ctx->vcpu.run;
	const struct expected_access *want;
	uint64_t addr, data = 0;
	unsigned int i;

	if (!expect_exit_reason(ctx, KVM_EXIT_MMIO))
		return false;
	if (ctx->step >= NR_ACCESSES)
		return scenario_fail(ctx, "access to %#llx after the %u expected ones",
				     (unsigned long long)run->mmio.phys_addr, NR_ACCESSES);
	want = &mmio_expected[ctx->step];
	addr = TESTDEV_BASE + TESTDEV_DATA + want->offset;
	if (run->mmio.phys_addr != addr || run->mmio.len != want->len ||
	    !!run->mmio.is_write != want->write)
		return scenario_fail(ctx, "access %u: %s %#llx len %u, expected %s %#llx len %u",
				     ctx->step, run->mmio.is_write ? "write" : "read",
				     (unsigned long long)run->mmio.phys_addr, run->mmio.len,
				     want->write ? "write" : "read", (unsigned long long)addr,
				     want->len);
	if (want->write) {
		for (i = 0; i < run->mmio.len; i++)
			data |= (uint64_t)run->mmio.data[i] << (8 * i);
		if (data != want->data)
			return scenario_fail(ctx, "access %u: wrote %#llx, expected %#llx",
					     ctx->step, (unsigned long long)data,
					     (unsigned long long)want->data);
	} else {
		data = TESTDEV_READ_PATTERN;
		memcpy(run->mmio.data, &data, run->mmio.len);	/* little-endian guest */
	}
	ctx->step++;
	return true;
}

static bool mmio_check(struct scenario_ctx *ctx)
{
	if (ctx->step != NR_ACCESSES)
		return scenario_fail(ctx, "%u of %u accesses seen", ctx->step, NR_ACCESSES);
	return true;
}

const struct scenario scenario_mmio = {
	.name = "mmio",
	.description = "loads (all sizes, sign-extending) and stores as KVM_EXIT_MMIO",
	.guest = &guest_mmio,
	.handle_exit = mmio_exit,
	.check = mmio_check,
};
