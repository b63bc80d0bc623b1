/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A scenario is one guest program plus what the VMM expects to see of it: how the VM is set
 * up, how each exit is answered, and a final check of the exits that arrived. A scenario
 * passes only if both sides agree: the guest reports success through the testdev and the
 * VMM's own check holds.
 */
#ifndef KVMEXIT_SCENARIO_H
#define KVMEXIT_SCENARIO_H

#include <pthread.h>
#include <stdbool.h>

#include "vm.h"

#define MAX_EXIT_REASON	64

struct guest_image {
	const unsigned char *start;
	const unsigned char *end;
};

/*
 * The state of one vCPU's run. With several vCPUs each has its own, on its own thread; they
 * share the VM (each holds a copy of struct vm) and see one another through @vcpus.
 */
struct scenario_ctx {
	const struct scenario *scenario;
	struct vm vm;
	struct vcpu vcpu;
	struct scenario_ctx *vcpus;		/* every vCPU's context, vCPU 0 first */
	unsigned int nr_vcpus;
	pthread_t thread;			/* the thread running this vCPU */
	bool trace;
	unsigned int nr_exits;
	unsigned int exits[MAX_EXIT_REASON];	/* count per exit reason */
	unsigned int step;			/* the scenario's own progress */
	long guest_status;			/* -1 until the guest writes TESTDEV_DONE */
	int stopped_with;			/* KVM_RUN's errno, if it ended the run */
	char guest_line[256];
	unsigned int guest_len;
};

struct scenario {
	const char *name;
	const char *description;
	const struct guest_image *guest;
	unsigned long vm_type;			/* KVM_CREATE_VM's type (0: a normal VM) */
	/* KVM_CREATE_VM from a thread of its own that lives on, as some VMMs do. */
	bool vm_from_thread;
	uint32_t vcpu_features;			/* extra KVM_ARM_VCPU_* feature bits */
	/* vCPUs (0: one, at most GUEST_MAX_VCPUS); the guest's vCPU 0 turns on the others. */
	unsigned int nr_vcpus;
	/* VM-wide setup before the first run (vCPU 0's context). */
	void (*setup)(struct scenario_ctx *ctx);
	/* Answer an exit that is not the testdev's; false if it was not expected. */
	bool (*handle_exit)(struct scenario_ctx *ctx);
	/* After the guest finished (on every vCPU; vCPU 0's context): did the VMM see exactly
	 * the exits it should? (NULL: the guest's own checks are the test.) */
	bool (*check)(struct scenario_ctx *ctx);
	/* Release what setup took (a policy), before the VM goes away. */
	void (*cleanup)(struct scenario_ctx *ctx);
	/* KVM_RUN's errno that ends the run as the scenario expects (0: none does). */
	int stops_with;
	/* Exits after which the guest counts as looping (0: MAX_EXITS). */
	unsigned int max_exits;
	/* Runs in a second thread while the vCPU runs; false on failure. */
	bool (*background)(struct scenario_ctx *ctx);
};

/* Print why a scenario failed; always returns false. */
bool __attribute__((format(printf, 2, 3))) scenario_fail(struct scenario_ctx *ctx,
							 const char *fmt, ...);
/* Does the current exit's reason match? If not, report it as unexpected. */
bool expect_exit_reason(struct scenario_ctx *ctx, uint32_t reason);
const char *exit_reason_name(uint32_t reason);
void describe_exit(struct vcpu *vcpu, char *buf, size_t size);

int run_scenario(const struct scenario *scenario, bool trace);

/* Hypercalls forwarded to the VMM: what the guest passes, and the VMM's answer. */
struct expected_call {
	uint32_t function;
	bool smc;
	uint64_t args[3];
};

/* Answer in x0..x3: TEST_SMCCC_ANSWER(function), then x1..x3 + 1. */
void answer_hypercall(struct scenario_ctx *ctx);
/* The next of @calls (ctx->step): check it is this exit, answer it. */
bool check_and_answer_hypercall(struct scenario_ctx *ctx, const struct expected_call *calls,
				unsigned int nr_calls);
void forward_test_range(struct scenario_ctx *ctx);
/* The exits of the hvc_forward guest, answered as scenario hvc-forward does. */
bool hvc_forward_exit(struct scenario_ctx *ctx);

/* The NISV exit of the nisv guest, answered with an injected abort as scenario nisv does. */
bool nisv_exit(struct scenario_ctx *ctx);

/* The guest hypervisor's report of its failed VNCR translation (the vncr guest). */
bool vncr_exit(struct scenario_ctx *ctx);

/* The accesses of the mmio guest (tests/guest/mmio_access.c), in order. */
struct expected_access {
	uint32_t offset;
	uint32_t len;
	bool write;
	uint64_t data;		/* for writes */
	int rt;			/* for loads: the register the guest names */
	int sse, sf;		/* for loads: ESR.SSE and ESR.SF (sign-extends, Xt) */
};
extern const struct expected_access mmio_expected[];
extern const unsigned int mmio_nr_expected;
/* One of those accesses, checked and answered as scenario mmio does. */
bool mmio_exit(struct scenario_ctx *ctx);

/*
 * An exit of the guests that call while policies come and go (hvc_live, hvc_load): the
 * forwarded HVC_LIVE, answered by the VMM and counted in @answered; the guest reading
 * LIVE_OFF_STOP (*@stop); its final counts, stored in @counts (LIVE_OFF_COUNT_* / 8).
 */
bool live_guest_exit(struct scenario_ctx *ctx, unsigned long *answered, const int *stop,
		     uint64_t counts[3]);

/* A KVM_EXIT_ARM_SEA for guest page @gpa: check it, answer with an external abort. */
bool answer_forwarded_sea(struct scenario_ctx *ctx, uint64_t gpa);

/* The exit-policy statistics of a vCPU: exit_bpf_<exit>_<outcome>. */
uint64_t policy_stat(struct scenario_ctx *ctx, const char *exit_name, const char *outcome);
/* KVM offers only the outcomes an exit can have (no exit_bpf_hvc_injected, say). */
bool policy_has_stat(struct scenario_ctx *ctx, const char *exit_name, const char *outcome);
/* No policy decided an exit of @exit_name: every outcome KVM offers for it is 0. */
bool expect_no_policy_outcome(struct scenario_ctx *ctx, const char *exit_name);

extern const struct scenario scenario_hvc_forward;
extern const struct scenario scenario_el2_hvc;
extern const struct scenario scenario_mmio;
extern const struct scenario scenario_nisv;
extern const struct scenario scenario_policy_mmio;
extern const struct scenario scenario_policy_hvc;
extern const struct scenario scenario_policy_nisv;
extern const struct scenario scenario_policy_nisv_forward;
extern const struct scenario scenario_policy_nisv_hostwide;
extern const struct scenario scenario_policy_hostwide;
extern const struct scenario scenario_policy_eject;
extern const struct scenario scenario_policy_eject_closed;
extern const struct scenario scenario_policy_contract;
extern const struct scenario scenario_policy_contract_hostwide;
extern const struct scenario scenario_policy_live;
extern const struct scenario scenario_policy_load;
extern const struct scenario scenario_policy_chain_load;
extern const struct scenario scenario_policy_pvm;
extern const struct scenario scenario_policy_lifetime;
extern const struct scenario scenario_vncr_default;
extern const struct scenario scenario_vncr_policy;
extern const struct scenario scenario_serve;
extern const struct scenario scenario_policy_spi;
extern const struct scenario scenario_policy_pl011;
extern const struct scenario scenario_policy_pl031;
extern const struct scenario scenario_policy_pl031_reset;
extern const struct scenario scenario_policy_vm_kfunc;
extern const struct scenario scenario_policy_vm_id;
extern const struct scenario scenario_policy_fastpath;
extern const struct scenario scenario_policy_fastpath_off;
extern const struct scenario scenario_policy_fastpath_signal;
extern const struct scenario scenario_policy_fastpath_shared;
extern const struct scenario scenario_policy_chain;
extern const struct scenario scenario_library;
extern const struct scenario scenario_serve_thread;
extern const struct scenario scenario_serve_recreate;
extern const struct scenario scenario_filter_isolation;
extern const struct scenario scenario_filter_isolation_other;
extern const struct scenario scenario_filter_edit_stress;
extern const struct scenario scenario_policy_fastpath_spin;
extern const struct scenario scenario_bench;
extern const struct scenario scenario_bench_baseline;
extern const struct scenario scenario_synthetic_sea;
extern const struct scenario scenario_synthetic_ldst64b;
extern const struct scenario scenario_filter_serve;
extern const struct scenario scenario_canonical;
extern const struct scenario scenario_canonical_sea_forward;
extern const struct scenario scenario_canonical_sea_serror;
extern const struct scenario scenario_vncr_observer;
extern const struct scenario scenario_vncr_observer_walk;
extern const struct scenario scenario_passthrough_mmio;
extern const struct scenario scenario_passthrough_hvc;
extern const struct scenario scenario_passthrough_nisv;

#endif
