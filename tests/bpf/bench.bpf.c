// SPDX-License-Identifier: GPL-2.0
/*
 * The policy the benchmark measures: a hypercall denied and one emulated in BPF, MMIO
 * reads and writes of one register emulated in BPF; everything else left to KVM.
 */
#include "kvmexit.h"
#include "testdev.h"
#include "policy_tests.h"

SEC("struct_ops/hvc")
int BPF_PROG(bench_hvc, struct kvm_arm_exit_ctx *exit)
{
	if (exit->smccc_fid == BENCH_FID_BPF_DENY)
		return KVM_ARM_EXIT_HANDLED;
	if (exit->smccc_fid == BENCH_FID_BPF_EMUL) {
		bpf_kvm_exit_smccc_return(exit, 0, 1, 2, 3);
		return KVM_ARM_EXIT_HANDLED;
	}
	return KVM_ARM_EXIT_DEFAULT;
}

SEC("struct_ops/mmio")
int BPF_PROG(bench_mmio, struct kvm_arm_exit_ctx *exit)
{
	if (exit->ipa != TESTDEV_BASE + TESTDEV_DATA + BENCH_OFF_BPF)
		return KVM_ARM_EXIT_DEFAULT;
	if (!exit->is_write)
		bpf_kvm_exit_mmio_read_data(exit, 0x1234);
	return KVM_ARM_EXIT_HANDLED;
}

SEC(".struct_ops.link")
struct kvm_arm_exit_ops bench = {
	.hvc = (void *)bench_hvc,
	.mmio = (void *)bench_mmio,
	.vm_fd = -1,
};

char LICENSE[] SEC("license") = "GPL";
