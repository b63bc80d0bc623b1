// SPDX-License-Identifier: GPL-2.0
/*
 * bpf_kvm_vm_set_spi() from programs userspace runs (policy-vm-kfunc): three copies of one
 * syscall program (lowering SPI_DEVICE_SPI, which no guest device uses), each associated by
 * the test with a different struct_ops map, or none: a TCP congestion control's (another
 * struct_ops type, whose kernel data the kfunc must not take for a kvm_arm_exit_ops), and
 * this object's kvm_arm_exit_ops, attached to the test's VM or not. Each returns the
 * kfunc's result.
 */
#include "kvmexit.h"
#include "policy_tests.h"

SEC("syscall")
int set_spi_unassociated(void *ctx)
{
	return bpf_kvm_vm_set_spi(SPI_DEVICE_SPI, false);
}

SEC("syscall")
int set_spi_foreign(void *ctx)
{
	return bpf_kvm_vm_set_spi(SPI_DEVICE_SPI, false);
}

SEC("syscall")
int set_spi_own(void *ctx)
{
	return bpf_kvm_vm_set_spi(SPI_DEVICE_SPI, false);
}

SEC("struct_ops/hvc")
int BPF_PROG(vm_kfunc_hvc, struct kvm_arm_exit_ctx *exit)
{
	return KVM_ARM_EXIT_DEFAULT;
}

SEC(".struct_ops.link")
struct kvm_arm_exit_ops vm_kfunc = {
	.hvc = (void *)vm_kfunc_hvc,
	.vm_fd = -1,
};

SEC("struct_ops/ssthresh")
__u32 BPF_PROG(ca_ssthresh, struct sock *sk)
{
	return 2;
}

SEC("struct_ops/undo_cwnd")
__u32 BPF_PROG(ca_undo_cwnd, struct sock *sk)
{
	return 2;
}

SEC("struct_ops/cong_avoid")
void BPF_PROG(ca_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
}

/* Never registered (a .link map is registered only when linked): only associated. */
SEC(".struct_ops.link")
struct tcp_congestion_ops vm_kfunc_ca = {
	.ssthresh = (void *)ca_ssthresh,
	.undo_cwnd = (void *)ca_undo_cwnd,
	.cong_avoid = (void *)ca_cong_avoid,
	.name = "kvmexit_vmkf",
};

char LICENSE[] SEC("license") = "GPL";
