// SPDX-License-Identifier: GPL-2.0
/*
 * canonical: the answers a guest should get for the aborts a VMM usually cannot do
 * anything useful with, decided in the kernel, with a record of each guest-owned SEA.
 *
 * - A data abort without a valid syndrome (NISV: KVM cannot tell the access) and an
 *   LD64B/ST64B to a device the VMM does not emulate: an external data abort at the
 *   access, as a real bus would report it. Without a policy the first ends KVM_RUN with an
 *   error unless the VMM enabled KVM_CAP_ARM_NISV_TO_USER, and the second goes to the VMM.
 * - A synchronous external abort (SEA) on guest memory that KVM found to be the guest's:
 *   recorded (IPA, VA, ESR, PC, vCPU, time) in the ring buffer sea_events, then, by
 *   sea_verdict, injected back as a matching SEA with the ISS sea_iss, forwarded to the
 *   VMM, or injected as an SError.
 *
 * Storms: at most sea_burst records per window of sea_period_ms milliseconds (a window
 * starts at the first SEA after the previous one ended). Past that, SEAs are still
 * answered but not recorded, and counted in sea_dropped: a guest in an error storm cannot
 * flood the reader. The window's count is atomic, but starting a new window is not: with
 * several vCPUs faulting just as a window ends, the new one may record a few more.
 * A record the ring buffer had no room for is counted in sea_lost.
 *
 * Parameters (kvmexit attach --set NAME=VALUE):
 *   sea_verdict     0: inject an SEA (default), 1: forward (KVM_EXIT_ARM_SEA; the VMM must
 *                   have enabled KVM_CAP_ARM_SEA_TO_USER, else KVM counts an error, does
 *                   what it does without a policy, and ejects the policy after 64 errors),
 *                   2: inject an SError (KVM retries the access; the guest takes the SError
 *                   once it unmasks SErrors)
 *   sea_iss         the injected SEA's ISS: 0 (default) KVM's own syndrome, else one KVM
 *                   allows (FSC 0x10 or 0x13..0x17, with FnV, EA, SET, and for data aborts
 *                   CM and WnR); one KVM refuses is counted in sea_bad_iss and KVM's own
 *                   syndrome is injected instead
 *   sea_burst       records per window, default 16
 *   sea_period_ms   the window, default 1000
 *
 * Attach:
 *   kvmexit attach --pid PID /usr/lib/kvmexit/policies/canonical.bpf.o \
 *	--set sea_iss=0x210 --set sea_burst=8 --set sea_period_ms=500
 *
 * Reading: sea_events is a BPF ring buffer of struct sea_record (canonical.h): a reader
 * opens it by id (bpftool map show name sea_events) with libbpf's ring_buffer__new(). The
 * counters nisv, ldst64b, sea, sea_recorded, sea_dropped, sea_lost and sea_bad_iss are
 * globals: bpftool map dump name canonica.bss. KVM's exit_bpf_<exit>_<outcome> statistics
 * (kvmexit stats) count the verdicts.
 */
#include "kvmexit.h"
#include "canonical.h"

const volatile __u32 sea_verdict = SEA_INJECT;
const volatile __u64 sea_iss;
const volatile __u32 sea_burst = 16;
const volatile __u64 sea_period_ms = 1000;

__u64 nisv, ldst64b, sea, sea_recorded, sea_dropped, sea_lost, sea_bad_iss;
/* The rate limit's window: when it started and how many records it took. */
__u64 window_start_ns, window_records;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} sea_events SEC(".maps");

SEC("struct_ops/nisv")
int BPF_PROG(canonical_nisv, struct kvm_arm_exit_ctx *exit)
{
	__sync_fetch_and_add(&nisv, 1);
	return KVM_ARM_EXIT_INJECT;
}

SEC("struct_ops/ldst64b")
int BPF_PROG(canonical_ldst64b, struct kvm_arm_exit_ctx *exit)
{
	__sync_fetch_and_add(&ldst64b, 1);
	return KVM_ARM_EXIT_INJECT;
}

/* May this SEA be recorded, at @now, under the rate limit? */
static bool sea_may_record(__u64 now)
{
	if (!window_start_ns || now - window_start_ns >= sea_period_ms * 1000000) {
		window_start_ns = now;
		window_records = 0;
	}
	return __sync_fetch_and_add(&window_records, 1) < sea_burst;
}

static void sea_record(struct kvm_arm_exit_ctx *exit, __u64 now)
{
	struct sea_record *r;

	if (!sea_may_record(now)) {
		__sync_fetch_and_add(&sea_dropped, 1);
		return;
	}
	r = bpf_ringbuf_reserve(&sea_events, sizeof(*r), 0);
	if (!r) {
		__sync_fetch_and_add(&sea_lost, 1);
		return;
	}
	r->ipa = exit->ipa;
	r->far = exit->far;
	r->esr = exit->esr;
	r->pc = exit->pc;
	r->time_ns = now;
	r->vcpu_id = exit->vcpu_id;
	r->is_iabt = exit->is_iabt;
	bpf_ringbuf_submit(r, 0);
	__sync_fetch_and_add(&sea_recorded, 1);
}

SEC("struct_ops/sea")
int BPF_PROG(canonical_sea, struct kvm_arm_exit_ctx *exit)
{
	__sync_fetch_and_add(&sea, 1);
	sea_record(exit, bpf_ktime_get_ns());

	switch (sea_verdict) {
	case SEA_FORWARD:
		return KVM_ARM_EXIT_TO_USER;
	case SEA_SERROR:
		bpf_kvm_exit_set_injection(exit, KVM_ARM_EXIT_INJECT_SERROR, 0);
		return KVM_ARM_EXIT_INJECT;
	default:
		if (bpf_kvm_exit_set_injection(exit, KVM_ARM_EXIT_INJECT_SEA, sea_iss)) {
			__sync_fetch_and_add(&sea_bad_iss, 1);
			bpf_kvm_exit_set_injection(exit, KVM_ARM_EXIT_INJECT_SEA, 0);
		}
		return KVM_ARM_EXIT_INJECT;
	}
}

SEC(".struct_ops.link")
struct kvm_arm_exit_ops canonical = {
	.nisv = (void *)canonical_nisv,
	.ldst64b = (void *)canonical_ldst64b,
	.sea = (void *)canonical_sea,
	.vm_fd = -1,
};

char LICENSE[] SEC("license") = "GPL";
