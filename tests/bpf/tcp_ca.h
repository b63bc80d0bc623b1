/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A TCP congestion control, for the tests that need a struct_ops type other than
 * kvm_arm_exit_ops: the callbacks it needs besides ssthresh, and TCP_CA_OPS(MAP, SSTHRESH,
 * NAME), its map (a .link map: never registered unless linked). Included by one .bpf.c.
 */
#ifndef KVMEXIT_TCP_CA_H
#define KVMEXIT_TCP_CA_H

SEC("struct_ops/undo_cwnd")
__u32 BPF_PROG(ca_undo_cwnd, struct sock *sk)
{
	return 2;
}

SEC("struct_ops/cong_avoid")
void BPF_PROG(ca_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
}

#define TCP_CA_OPS(map, ssthresh_prog, ca_name)				\
	SEC(".struct_ops.link")							\
	struct tcp_congestion_ops map = {					\
		.ssthresh = (void *)ssthresh_prog,				\
		.undo_cwnd = (void *)ca_undo_cwnd,				\
		.cong_avoid = (void *)ca_cong_avoid,				\
		.name = ca_name,						\
	}

#endif
