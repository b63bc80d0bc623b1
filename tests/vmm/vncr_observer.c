// SPDX-License-Identifier: GPL-2.0
/*
 * policies/vncr_observer.bpf.c on the VNCR_EL2 faults of tests/guest/vncr.c (host booted
 * with kvm-arm.mode=nested): every fault counted and logged, the failed translation
 * reported as its on_failure parameter says. For this failure (an address no memslot backs)
 * KVM's own report is also an external abort: the guest hypervisor sees the same syndrome
 * either way, so the statistics and the policy's log tell the two parameters apart.
 */
#include <bpf/bpf.h>

#include "guests.h"
#include "policy.h"
#include "policy_tests.h"
#include "vncr_observer.h"
#include "vncr_observer.skel.h"

DECLARE_GUEST(vncr);

#define ESR_EC_DABT_CUR	0x25
#define ESR_VNCR	(1ULL << 13)

static struct vncr_observer *skel;
static struct bpf_link *link;

static void attach_observer(struct scenario_ctx *ctx, uint32_t on_failure)
{
	skel = policy_open(vncr_observer, ctx->vm.fd);
	skel->rodata->on_failure = on_failure;
	policy_load_opened(vncr_observer, skel);
	link = policy_attach(skel->maps.vncr_observer);
}

static void observer_extabt_setup(struct scenario_ctx *ctx)
{
	attach_observer(ctx, VNCR_REPORT_EXTABT);
}

static void observer_walk_setup(struct scenario_ctx *ctx)
{
	attach_observer(ctx, VNCR_REPORT_WALK);
}

/*
 * The log holds every fault in order, each a data abort flagged VNCR at the same access
 * (the nested guest hypervisor's read of HCR_EL2) of the same page of guest RAM; only the
 * last one failed, on the unbacked VNCR_UNBACKED.
 */
static bool check_log(struct scenario_ctx *ctx, uint64_t faults, bool injected)
{
	struct vncr_record r = { 0 };
	unsigned long long seq, pc = 0, page = 0;
	uint32_t slot;

	for (seq = 1; seq <= faults; seq++) {
		slot = seq % VNCR_LOG_SIZE;
		if (bpf_map_lookup_elem(bpf_map__fd(skel->maps.vncr_log), &slot, &r))
			die("vncr_log[%u]: %s", slot, strerror(errno));
		printf("testvmm: %s: log %llu: esr %#llx pc %#llx VNCR_EL2 %#llx result %d fst %#x "
		       "injected %u\n", ctx->scenario->name, r.seq, r.esr, r.pc, r.vncr, r.result,
		       r.fst, r.injected);
		if (seq == 1) {
			pc = r.pc;
			page = r.vncr;
		}
		if (r.vncr != (seq < faults ? page : VNCR_UNBACKED) || page & 0xfff ||
		    page < GUEST_RAM_BASE || page >= GUEST_RAM_BASE + GUEST_RAM_SIZE)
			return scenario_fail(ctx, "log %llu: VNCR_EL2 %#llx, expected a page of guest "
					     "RAM, then %#lx", seq, r.vncr, VNCR_UNBACKED);
		if (r.seq != seq || r.vcpu_id || ((r.esr >> 26) & 0x3f) != ESR_EC_DABT_CUR ||
		    !(r.esr & ESR_VNCR) || r.pc != pc || r.pc < GUEST_RAM_BASE ||
		    r.pc >= GUEST_RAM_BASE + GUEST_RAM_SIZE)
			return scenario_fail(ctx, "log %llu: expected that seq, vCPU 0, a data "
					     "abort flagged VNCR at the first one's PC", seq);
		if (seq < faults && (r.result || r.injected))
			return scenario_fail(ctx, "log %llu: a failure before the last fault", seq);
	}
	if (r.result >= 0 || r.injected != injected)
		return scenario_fail(ctx, "the last fault: result %d injected %u, expected a "
				     "failure injected %u", r.result, r.injected, injected);
	return true;
}

static bool check_observer(struct scenario_ctx *ctx, bool injected)
{
	struct vncr_observer__bss *bss = skel->bss;
	uint64_t kvm_injected = policy_stat(ctx, "vncr", "injected");
	uint64_t kvm_defaulted = policy_stat(ctx, "vncr", "defaulted");
	uint64_t errors = policy_stat(ctx, "vncr", "errors");

	printf("testvmm: %s: the policy saw %llu VNCR faults, %llu failed, %llu reported as "
	       "external aborts; KVM counted injected %llu defaulted %llu errors %llu\n",
	       ctx->scenario->name, bss->faults, bss->failed, bss->injected,
	       (unsigned long long)kvm_injected, (unsigned long long)kvm_defaulted,
	       (unsigned long long)errors);
	if (bss->faults < 2 || bss->faults > VNCR_LOG_SIZE || bss->failed != 1 ||
	    bss->injected != injected)
		return scenario_fail(ctx, "expected a failed translation after good ones, %u "
				     "injected", injected);
	if (kvm_injected != injected || kvm_defaulted != bss->faults - injected || errors)
		return scenario_fail(ctx, "KVM's statistics: expected injected %u defaulted %llu",
				     injected, bss->faults - injected);
	return check_log(ctx, bss->faults, injected);
}

static bool observer_extabt_check(struct scenario_ctx *ctx)
{
	return check_observer(ctx, true);
}

static bool observer_walk_check(struct scenario_ctx *ctx)
{
	return check_observer(ctx, false);
}

static void observer_cleanup(struct scenario_ctx *ctx)
{
	bpf_link__destroy(link);
	vncr_observer__destroy(skel);
}

const struct scenario scenario_vncr_observer = {
	.name = "vncr-observer",
	.description = "VNCR faults logged; on_failure=1: the failure made an external abort",
	.guest = &guest_vncr,
	.vcpu_features = 1U << KVM_ARM_VCPU_HAS_EL2,
	.setup = observer_extabt_setup,
	.handle_exit = vncr_exit,
	.check = observer_extabt_check,
	.cleanup = observer_cleanup,
};

const struct scenario scenario_vncr_observer_walk = {
	.name = "vncr-observer-walk",
	.description = "VNCR faults logged; on_failure=0: the failure reported as KVM's walk found",
	.guest = &guest_vncr,
	.vcpu_features = 1U << KVM_ARM_VCPU_HAS_EL2,
	.setup = observer_walk_setup,
	.handle_exit = vncr_exit,
	.check = observer_walk_check,
	.cleanup = observer_cleanup,
};
