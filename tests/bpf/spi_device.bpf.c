// SPDX-License-Identifier: GPL-2.0
/*
 * A device emulated by a policy that interrupts the guest: a write to its "raise" register
 * raises SPI_DEVICE_SPI, one to its "lower" register lowers it, both in the kernel.
 */
#include "kvmexit.h"
#include "testdev.h"
#include "policy_tests.h"

__u32 raised, lowered;
int last_error;

SEC("struct_ops/mmio")
int BPF_PROG(spi_device_mmio, struct kvm_arm_exit_ctx *exit)
{
	__u64 off = exit->ipa - (TESTDEV_BASE + TESTDEV_DATA);
	int err;

	if (!exit->is_write || (off != SPI_DEVICE_RAISE && off != SPI_DEVICE_LOWER))
		return KVM_ARM_EXIT_DEFAULT;
	err = bpf_kvm_exit_set_spi(exit, SPI_DEVICE_SPI, off == SPI_DEVICE_RAISE);
	if (err) {
		last_error = err;
		return KVM_ARM_EXIT_DEFAULT;
	}
	if (off == SPI_DEVICE_RAISE)
		raised++;
	else
		lowered++;
	return KVM_ARM_EXIT_HANDLED;
}

SEC(".struct_ops.link")
struct kvm_arm_exit_ops spi_device = {
	.mmio = (void *)spi_device_mmio,
	.vm_fd = -1,
};

char LICENSE[] SEC("license") = "GPL";
