// SPDX-License-Identifier: GPL-2.0
/*
 * A program the verifier must refuse: a struct_ops program of another type (a TCP
 * congestion control) calling an exit kfunc. The kfuncs' filter admits only
 * kvm_arm_exit_ops callbacks, the only programs that have a vCPU in the middle of an exit.
 */
#include "kvmexit.h"

SEC("struct_ops/ssthresh")
__u32 BPF_PROG(ca_ssthresh, struct sock *sk)
{
	__u64 val = 0;

	bpf_kvm_exit_get_reg((struct kvm_arm_exit_ctx *)sk, 0, &val);
	return val;
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

SEC(".struct_ops.link")
struct tcp_congestion_ops kfunc_tcp_ca = {
	.ssthresh = (void *)ca_ssthresh,
	.undo_cwnd = (void *)ca_undo_cwnd,
	.cong_avoid = (void *)ca_cong_avoid,
	.name = "kvmexit_test",
};

char LICENSE[] SEC("license") = "GPL";
