// SPDX-License-Identifier: GPL-2.0
/* A BPF object that is not a policy: no struct kvm_arm_exit_ops. */
#include "kvmexit.h"

SEC("socket")
int pass_all(struct __sk_buff *skb)
{
	return skb->len;
}

char LICENSE[] SEC("license") = "GPL";
