// SPDX-License-Identifier: GPL-2.0
/* Names and one-line descriptions of KVM exits, for traces and failure messages. */
#include <stdio.h>

#include "scenario.h"

const char *exit_reason_name(uint32_t reason)
{
	static const char *const names[] = {
		[KVM_EXIT_UNKNOWN] = "KVM_EXIT_UNKNOWN",
		[KVM_EXIT_HYPERCALL] = "KVM_EXIT_HYPERCALL",
		[KVM_EXIT_MMIO] = "KVM_EXIT_MMIO",
		[KVM_EXIT_SHUTDOWN] = "KVM_EXIT_SHUTDOWN",
		[KVM_EXIT_FAIL_ENTRY] = "KVM_EXIT_FAIL_ENTRY",
		[KVM_EXIT_INTR] = "KVM_EXIT_INTR",
		[KVM_EXIT_INTERNAL_ERROR] = "KVM_EXIT_INTERNAL_ERROR",
		[KVM_EXIT_SYSTEM_EVENT] = "KVM_EXIT_SYSTEM_EVENT",
		[KVM_EXIT_ARM_NISV] = "KVM_EXIT_ARM_NISV",
		[KVM_EXIT_ARM_SEA] = "KVM_EXIT_ARM_SEA",
		[KVM_EXIT_ARM_LDST64B] = "KVM_EXIT_ARM_LDST64B",
	};

	if (reason < sizeof(names) / sizeof(names[0]) && names[reason])
		return names[reason];
	return "KVM_EXIT_?";
}

void describe_exit(struct vcpu *vcpu, char *buf, size_t size)
{
	const struct kvm_run *run = vcpu->run;
	const char *name = exit_reason_name(run->exit_reason);
	uint64_t data = 0;
	unsigned int i;

	switch (run->exit_reason) {
	case KVM_EXIT_MMIO:
		if (!run->mmio.is_write) {
			snprintf(buf, size, "%s read addr=%#llx len=%u", name,
				 (unsigned long long)run->mmio.phys_addr, run->mmio.len);
			break;
		}
		for (i = 0; i < run->mmio.len && i < 8; i++)
			data |= (uint64_t)run->mmio.data[i] << (8 * i);
		snprintf(buf, size, "%s write addr=%#llx len=%u data=%#llx", name,
			 (unsigned long long)run->mmio.phys_addr, run->mmio.len,
			 (unsigned long long)data);
		break;
	case KVM_EXIT_HYPERCALL:
		snprintf(buf, size, "%s %s function=%#llx flags=%#llx x1=%#llx x2=%#llx x3=%#llx",
			 name, run->hypercall.flags & KVM_HYPERCALL_EXIT_SMC ? "smc" : "hvc",
			 (unsigned long long)run->hypercall.nr,
			 (unsigned long long)run->hypercall.flags,
			 (unsigned long long)vcpu_get_reg(vcpu, 1),
			 (unsigned long long)vcpu_get_reg(vcpu, 2),
			 (unsigned long long)vcpu_get_reg(vcpu, 3));
		break;
	case KVM_EXIT_ARM_NISV:
	case KVM_EXIT_ARM_LDST64B:
		snprintf(buf, size, "%s esr_iss=%#llx fault_ipa=%#llx", name,
			 (unsigned long long)run->arm_nisv.esr_iss,
			 (unsigned long long)run->arm_nisv.fault_ipa);
		break;
	case KVM_EXIT_SYSTEM_EVENT:
		snprintf(buf, size, "%s type=%u", name, run->system_event.type);
		break;
	case KVM_EXIT_FAIL_ENTRY:
		snprintf(buf, size, "%s hardware_entry_failure_reason=%#llx", name,
			 (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
		break;
	default:
		snprintf(buf, size, "%s (%u)", name, run->exit_reason);
		break;
	}
}
