// SPDX-License-Identifier: GPL-2.0
/*
 * A program the verifier must refuse: a BPF_PROG_TYPE_SYSCALL program calling an exit
 * kfunc, which is registered for struct_ops programs only (and there for exit policies
 * only: see kfunc_tcp_ca.bpf.c).
 */
#include "kvmexit.h"

SEC("syscall")
int read_reg(void *args)
{
	__u64 val;

	return bpf_kvm_exit_get_reg(args, 0, &val);
}

char LICENSE[] SEC("license") = "GPL";
