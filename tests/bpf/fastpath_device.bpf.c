// SPDX-License-Identifier: GPL-2.0
/*
 * What the fast path answers, for its tests (tests/vmm/policy_fastpath.c): MMIO reads and
 * writes of a device that interrupts (from the exit, or later from a BPF timer), emulated
 * calls, and calls it declines, all counted per vCPU so that the guest can check each was
 * decided exactly once.
 */
#include "kvmexit.h"
#include "testdev.h"
#include "policy_tests.h"

#define CLOCK_MONOTONIC		1

__u64 reads[GUEST_MAX_VCPUS], calls[GUEST_MAX_VCPUS], declined[GUEST_MAX_VCPUS];
int last_error;
__u64 timer_fired;
int timer_result;

struct raise_later {
	struct bpf_timer timer;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct raise_later);
} raise_timer SEC(".maps");

/* In softirq: the kernel queues the change and injects it from a task. */
static int raise_spi(void *map, int *key, struct raise_later *later)
{
	timer_result = bpf_kvm_vm_set_spi(FAST_SPI, true);
	timer_fired++;
	return 0;
}

static int arm_timer(__u64 us)
{
	struct raise_later *later;
	int key = 0;

	later = bpf_map_lookup_elem(&raise_timer, &key);
	if (!later)
		return -2;	/* ENOENT: the array always has its element */
	bpf_timer_init(&later->timer, &raise_timer, CLOCK_MONOTONIC);
	bpf_timer_set_callback(&later->timer, raise_spi);
	return bpf_timer_start(&later->timer, us * 1000, 0);
}

SEC("struct_ops/mmio")
int BPF_PROG(fastpath_mmio, struct kvm_arm_exit_ctx *exit)
{
	__u64 off = exit->ipa - (TESTDEV_BASE + TESTDEV_DATA);
	__u32 cpu = exit->vcpu_id;
	int err;

	if (cpu >= GUEST_MAX_VCPUS || exit->len != 8)
		return KVM_ARM_EXIT_DEFAULT;
	if (!exit->is_write) {
		if (off == FAST_OFF_COUNT)
			err = bpf_kvm_exit_mmio_read_data(exit, ++reads[cpu]);
		else if (off == FAST_OFF_DECLINED)
			err = bpf_kvm_exit_mmio_read_data(exit, declined[cpu]);
		else
			return KVM_ARM_EXIT_DEFAULT;
	} else if (off == FAST_OFF_RAISE || off == FAST_OFF_LOWER) {
		err = bpf_kvm_exit_set_spi(exit, FAST_SPI, off == FAST_OFF_RAISE);
	} else if (off == FAST_OFF_TIMER) {
		err = arm_timer(exit->data);
	} else {
		return KVM_ARM_EXIT_DEFAULT;
	}
	if (err) {
		last_error = err;
		return KVM_ARM_EXIT_DEFAULT;
	}
	return KVM_ARM_EXIT_HANDLED;
}

SEC("struct_ops/hvc")
int BPF_PROG(fastpath_hvc, struct kvm_arm_exit_ctx *exit)
{
	__u32 cpu = exit->vcpu_id;

	if (cpu >= GUEST_MAX_VCPUS)
		return KVM_ARM_EXIT_DEFAULT;
	if (exit->smccc_fid == FAST_HVC_EMULATED) {
		bpf_kvm_exit_smccc_return(exit, ++calls[cpu], 0, 0, 0);
		return KVM_ARM_EXIT_HANDLED;
	}
	if (exit->smccc_fid == FAST_HVC_DECLINED)
		declined[cpu]++;
	return KVM_ARM_EXIT_DEFAULT;
}

SEC(".struct_ops.link")
struct kvm_arm_exit_ops fastpath_device = {
	.mmio = (void *)fastpath_mmio,
	.hvc = (void *)fastpath_hvc,
	.vm_fd = -1,
};

char LICENSE[] SEC("license") = "GPL";
