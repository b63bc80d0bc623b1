// SPDX-License-Identifier: GPL-2.0
/*
 * A program the verifier must refuse: a struct_ops program of another type (a TCP
 * congestion control) calling an exit kfunc. The kfuncs' filter admits only
 * kvm_arm_exit_ops callbacks, the only programs that have a vCPU in the middle of an exit.
 */
#include "kvmexit.h"
#include "tcp_ca.h"

SEC("struct_ops/ssthresh")
__u32 BPF_PROG(ca_ssthresh, struct sock *sk)
{
	__u64 val = 0;

	bpf_kvm_exit_get_reg((struct kvm_arm_exit_ctx *)sk, 0, &val);
	return val;
}

TCP_CA_OPS(kfunc_tcp_ca, ca_ssthresh, "kvmexit_test");

char LICENSE[] SEC("license") = "GPL";
