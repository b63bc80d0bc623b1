// SPDX-License-Identifier: GPL-2.0
/*
 * A device emulated in the kernel by a policy: the testdev data window. Reads return
 * TESTDEV_READ_PATTERN (as the test VMM would); writes are logged for the VMM to check.
 * One register injects an abort, one is forwarded to the VMM, and the testdev's control
 * page is left to the VMM (DEFAULT).
 */
#include "kvmexit.h"
#include "testdev.h"
#include "policy_tests.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MMIO_LOG_SIZE);
	__type(key, __u32);
	__type(value, struct mmio_access);
} mmio_log SEC(".maps");

__u32 nr_logged;

SEC("struct_ops/mmio")
int BPF_PROG(device_mmio, struct kvm_arm_exit_ctx *exit)
{
	__u64 off = exit->ipa - (TESTDEV_BASE + TESTDEV_DATA);
	struct mmio_access *entry;
	__u32 slot = nr_logged;

	if (exit->ipa < TESTDEV_BASE + TESTDEV_DATA || off >= TESTDEV_DATA_END - TESTDEV_DATA)
		return KVM_ARM_EXIT_DEFAULT;
	if (off == MMIO_OFF_INJECT)
		return KVM_ARM_EXIT_INJECT;
	if (off == MMIO_OFF_TO_USER)
		return KVM_ARM_EXIT_TO_USER;

	entry = bpf_map_lookup_elem(&mmio_log, &slot);
	if (entry) {
		entry->offset = off;
		entry->len = exit->len;
		entry->is_write = exit->is_write;
		entry->rt = exit->rt;
		entry->sign_extend = exit->sign_extend;
		entry->reg64 = exit->reg64;
		entry->data = exit->data;
		nr_logged = slot + 1;
	}
	if (!exit->is_write)
		bpf_kvm_exit_mmio_read_data(exit, TESTDEV_READ_PATTERN);
	return KVM_ARM_EXIT_HANDLED;
}

SEC(".struct_ops.link")
struct kvm_arm_exit_ops mmio_device = {
	.mmio = (void *)device_mmio,
	.vm_fd = -1,
};

char LICENSE[] SEC("license") = "GPL";
