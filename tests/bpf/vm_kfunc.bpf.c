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
#include "tcp_ca.h"

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

/* Never registered: only associated. */
TCP_CA_OPS(vm_kfunc_ca, ca_ssthresh, "kvmexit_vmkf");

char LICENSE[] SEC("license") = "GPL";
