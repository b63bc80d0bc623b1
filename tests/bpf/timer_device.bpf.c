// SPDX-License-Identifier: GPL-2.0
/*
 * A device that interrupts on its own, for the races of VM teardown (tests/suites/faults.sh):
 * the first hypercall it sees arms a BPF timer (fire_after_ms later) whose callback raises
 * SPI 5 with bpf_kvm_vm_set_spi() and keeps the result. Every call gets KVM's default. The
 * test kills the VMM before the timer fires: the teardown ejects the policy, the timer's
 * map stays pinned (kvmexit pins maps holding timers), and when the timer fires the kfunc
 * must find no VM, touching nothing.
 */
#include "kvmexit.h"

#define CLOCK_MONOTONIC		1

const volatile __u64 fire_after_ms = 3000;

struct pending {
	struct bpf_timer timer;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct pending);
} pending_timer SEC(".maps");

__u64 armed, fired;
int fire_result;

static int fire(void *map, int *key, struct pending *pending)
{
	fire_result = bpf_kvm_vm_set_spi(5, true);
	fired++;
	return 0;
}

SEC("struct_ops/hvc")
int BPF_PROG(timer_device_hvc, struct kvm_arm_exit_ctx *exit)
{
	struct pending *pending;
	int key = 0;

	if (armed)
		return KVM_ARM_EXIT_DEFAULT;
	pending = bpf_map_lookup_elem(&pending_timer, &key);
	if (!pending)
		return KVM_ARM_EXIT_DEFAULT;
	bpf_timer_init(&pending->timer, &pending_timer, CLOCK_MONOTONIC);
	bpf_timer_set_callback(&pending->timer, fire);
	if (!bpf_timer_start(&pending->timer, fire_after_ms * 1000000, 0))
		armed = 1;
	return KVM_ARM_EXIT_DEFAULT;
}

SEC(".struct_ops.link")
struct kvm_arm_exit_ops timer_device = {
	.hvc = (void *)timer_device_hvc,
	.vm_fd = -1,
};

char LICENSE[] SEC("license") = "GPL";
