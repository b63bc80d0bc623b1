// SPDX-License-Identifier: GPL-2.0
/*
 * vncr_observer: count and log a guest hypervisor's VNCR_EL2 faults, and choose what it is
 * told when its VNCR_EL2 page cannot be translated.
 *
 * Under nested virtualization with NV2 (host booted with kvm-arm.mode=nested), a guest
 * hypervisor running a guest hypervisor of its own points VNCR_EL2 at a page where the
 * CPU keeps that one's EL2 registers; KVM translates and maps the page on its first use,
 * each time a VNCR_EL2 fault. This policy counts every fault (faults) and the failed
 * translations (failed) and logs each in the array map vncr_log (struct vncr_record,
 * vncr_observer.h; the latest VNCR_LOG_SIZE kept, by seq): the syndrome, the guest PC of
 * the access, the page's address (VNCR_EL2, the context's far for this exit), the outcome
 * of KVM's translation and its fault status, so an operator sees when and where a guest
 * hypervisor's VNCR_EL2 page fails, without tracing the host.
 *
 * A failed translation through the guest hypervisor's stage 1 is reported, by on_failure,
 * as the fault KVM's walk found (KVM's behaviour) or as an external abort flagged VNCR
 * (KVM_ARM_EXIT_INJECT: the only other report KVM allows). Transient errors (KVM retries
 * or fails KVM_RUN) stay KVM's whatever on_failure says, and so does a guest_memfd failure:
 * the policy cannot tell one from a stage-1 failure, so KVM refuses its INJECT and counts
 * an error (exit_bpf_vncr_errors).
 *
 * Parameters (kvmexit attach --set NAME=VALUE):
 *   on_failure   0: the walk's fault (default), 1: an external abort
 *
 * Attach:
 *   kvmexit attach --pid PID /usr/lib/kvmexit/policies/vncr_observer.bpf.o --set on_failure=1
 *
 * Reading: bpftool map dump name vncr_log; the counters faults, failed and injected with
 * bpftool map dump name vncr_obs.bss; KVM's exit_bpf_vncr_* statistics (kvmexit stats).
 */
#include "kvmexit.h"
#include "vncr_observer.h"

const volatile __u32 on_failure = VNCR_REPORT_WALK;

__u64 faults, failed, injected;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, VNCR_LOG_SIZE);
	__type(key, __u32);
	__type(value, struct vncr_record);
} vncr_log SEC(".maps");

/* The errno values of a definitive translation failure (KVM's list): not worth a retry. */
static bool definitive_failure(int result)
{
	switch (-result) {
	case 2:		/* ENOENT */
	case 5:		/* EIO */
	case 13:	/* EACCES */
	case 14:	/* EFAULT */
	case 22:	/* EINVAL */
	case 133:	/* EHWPOISON */
		return true;
	default:
		return false;
	}
}

SEC("struct_ops/vncr")
int BPF_PROG(observe_vncr, struct kvm_arm_exit_ctx *exit)
{
	bool inject = on_failure == VNCR_REPORT_EXTABT && definitive_failure(exit->vncr_result);
	__u64 seq = __sync_add_and_fetch(&faults, 1);
	__u32 slot = seq % VNCR_LOG_SIZE;
	struct vncr_record *r = bpf_map_lookup_elem(&vncr_log, &slot);

	if (exit->vncr_result)
		__sync_fetch_and_add(&failed, 1);
	if (inject)
		__sync_fetch_and_add(&injected, 1);
	if (r) {
		r->seq = seq;
		r->esr = exit->esr;
		r->pc = exit->pc;
		r->vncr = exit->far;
		r->result = exit->vncr_result;
		r->fst = exit->vncr_fst;
		r->vcpu_id = exit->vcpu_id;
		r->injected = inject;
	}
	return inject ? KVM_ARM_EXIT_INJECT : KVM_ARM_EXIT_DEFAULT;
}

SEC(".struct_ops.link")
struct kvm_arm_exit_ops vncr_observer = {
	.vncr = (void *)observe_vncr,
	.vm_fd = -1,
};

char LICENSE[] SEC("license") = "GPL";
