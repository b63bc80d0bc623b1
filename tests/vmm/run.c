// SPDX-License-Identifier: GPL-2.0
/* Run one scenario: build the VM, run its vCPUs until the guest reports, then check. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scenario.h"
#include "testdev.h"

/* A guest that loops on exits instead of finishing is a failure, not a hang. */
#define MAX_EXITS	100000

bool scenario_fail(struct scenario_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("testvmm: %s: ", ctx->scenario->name);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
	return false;
}

bool expect_exit_reason(struct scenario_ctx *ctx, uint32_t reason)
{
	char what[256];

	if (ctx->vcpu.run->exit_reason == reason)
		return true;
	describe_exit(&ctx->vcpu, what, sizeof(what));
	return scenario_fail(ctx, "unexpected exit %s (expected %s)", what,
			     exit_reason_name(reason));
}

uint64_t policy_stat(struct scenario_ctx *ctx, const char *exit_name, const char *outcome)
{
	char name[64];

	snprintf(name, sizeof(name), "exit_bpf_%s_%s", exit_name, outcome);
	return kvm_read_stat(ctx->vcpu.fd, name);
}

bool expect_no_policy_outcome(struct scenario_ctx *ctx, const char *exit_name)
{
	static const char *const outcomes[] = {
		"handled", "to_user", "injected", "defaulted", "errors", "refused"
	};
	uint64_t value;
	unsigned int i;

	for (i = 0; i < sizeof(outcomes) / sizeof(outcomes[0]); i++) {
		if (!policy_has_stat(ctx, exit_name, outcomes[i]))
			continue;	/* an outcome this exit cannot have */
		value = policy_stat(ctx, exit_name, outcomes[i]);
		if (value)
			return scenario_fail(ctx, "exit_bpf_%s_%s is %llu, expected 0: a policy "
					     "decided", exit_name, outcomes[i],
					     (unsigned long long)value);
	}
	return true;
}

bool policy_has_stat(struct scenario_ctx *ctx, const char *exit_name, const char *outcome)
{
	uint64_t value;
	char name[64];

	snprintf(name, sizeof(name), "exit_bpf_%s_%s", exit_name, outcome);
	return kvm_find_stat(ctx->vcpu.fd, name, &value);
}

static bool is_testdev_control(const struct kvm_run *run)
{
	return run->exit_reason == KVM_EXIT_MMIO &&
	       run->mmio.phys_addr >= TESTDEV_BASE &&
	       run->mmio.phys_addr < TESTDEV_BASE + TESTDEV_DATA;
}

static void guest_putc(struct scenario_ctx *ctx, char c)
{
	if (c != '\n' && ctx->guest_len < sizeof(ctx->guest_line) - 1) {
		ctx->guest_line[ctx->guest_len++] = c;
		return;
	}
	ctx->guest_line[ctx->guest_len] = 0;
	printf("testvmm: %s: guest: %s\n", ctx->scenario->name, ctx->guest_line);
	ctx->guest_len = 0;
}

#define ESR_ISV		(1ULL << 24)
#define ESR_LST		(3ULL << 11)
#define ESR_FSC		0x3fULL
#define ESR_FNV		(1ULL << 10)
#define FSC_EXTABT	0x10ULL

/* SYNTHETIC: the guest asks for its next abort to be seen as an SEA or LD64B/ST64BV. */
static void arm_synthetic_abort(struct scenario_ctx *ctx, uint64_t which)
{
	static const struct {
		const char *name;
		uint64_t set, clear;
	} syndromes[] = {
		[SYNTH_SEA] = { "SEA", FSC_EXTABT, ESR_ISV | ESR_FSC },
		[SYNTH_LD64B] = { "LD64B/ST64B", 2ULL << 11, ESR_LST },
		[SYNTH_ST64BV] = { "ST64BV", 1ULL << 11, ESR_LST },
		[SYNTH_SEA_FNV] = { "SEA without a valid FAR", FSC_EXTABT | ESR_FNV,
				    ESR_ISV | ESR_FSC | ESR_FNV },
	};

	if (which >= sizeof(syndromes) / sizeof(syndromes[0]) || !syndromes[which].name)
		die("%s: the guest asked for synthetic syndrome %llu", ctx->scenario->name,
		    (unsigned long long)which);
	printf("testvmm: %s: SYNTHETIC: the next abort reaches KVM as %s\n",
	       ctx->scenario->name, syndromes[which].name);
	vm_synthetic_abort(&ctx->vm, syndromes[which].set, syndromes[which].clear);
}

/* The guest's reports: TESTDEV_DONE ends the run, TESTDEV_PUTC is output. */
static void handle_testdev(struct scenario_ctx *ctx)
{
	struct kvm_run *run = ctx->vcpu.run;
	uint64_t value = 0;
	unsigned int i;

	if (!run->mmio.is_write) {
		memset(run->mmio.data, 0, sizeof(run->mmio.data));
		return;
	}
	for (i = 0; i < run->mmio.len && i < 8; i++)
		value |= (uint64_t)run->mmio.data[i] << (8 * i);

	switch (run->mmio.phys_addr - TESTDEV_BASE) {
	case TESTDEV_DONE:
		ctx->guest_status = (long)value;
		break;
	case TESTDEV_PUTC:
		guest_putc(ctx, (char)value);
		break;
	case TESTDEV_SYNTHETIC:
		arm_synthetic_abort(ctx, value);
		break;
	}
}

/* Print an exit the scenario handled, with the VMM's answer to a read. */
static void trace_exit(struct scenario_ctx *ctx, const char *what)
{
	const struct kvm_run *run = ctx->vcpu.run;
	uint64_t data = 0;

	if (run->exit_reason == KVM_EXIT_MMIO && !run->mmio.is_write) {
		memcpy(&data, run->mmio.data, run->mmio.len < 8 ? run->mmio.len : 8);
		printf("testvmm: %s: exit %u: %s -> answered %#llx\n", ctx->scenario->name,
		       ctx->nr_exits, what, (unsigned long long)data);
		return;
	}
	printf("testvmm: %s: exit %u: %s\n", ctx->scenario->name, ctx->nr_exits, what);
}

static bool run_vcpu(struct scenario_ctx *ctx)
{
	const struct scenario *sc = ctx->scenario;
	struct kvm_run *run = ctx->vcpu.run;
	char what[256];
	int ret;

	while (ctx->guest_status < 0) {
		ret = vcpu_run(&ctx->vcpu);
		if (ret < 0 && sc->stops_with && -ret == sc->stops_with) {
			ctx->stopped_with = -ret;
			return true;
		}
		if (ret < 0)
			return scenario_fail(ctx, "KVM_RUN failed after %u exits: %s",
					     ctx->nr_exits, strerror(-ret));
		if (++ctx->nr_exits > (sc->max_exits ?: MAX_EXITS))
			return scenario_fail(ctx, "more than %u exits: the guest is looping",
					     sc->max_exits ?: MAX_EXITS);
		if (run->exit_reason < MAX_EXIT_REASON)
			ctx->exits[run->exit_reason]++;

		if (is_testdev_control(run)) {
			handle_testdev(ctx);
			continue;
		}
		if (ctx->trace)
			describe_exit(&ctx->vcpu, what, sizeof(what));
		if (!sc->handle_exit(ctx))
			return false;
		if (ctx->trace)
			trace_exit(ctx, what);
	}
	if (ctx->guest_status)
		return scenario_fail(ctx, "the guest reported a failure at line %ld",
				     ctx->guest_status);
	return true;
}

static void *run_background(void *arg)
{
	struct scenario_ctx *ctx = arg;

	return (void *)(long)ctx->scenario->background(ctx);
}

static void on_stop_signal(int sig)
{
}

/* After a vCPU failed: make the others' KVM_RUN return (one may never be turned on). */
static void stop_other_vcpus(struct scenario_ctx *ctx)
{
	struct scenario_ctx *other;
	unsigned int i;

	for (i = 0; i < ctx->nr_vcpus; i++) {
		other = &ctx->vcpus[i];
		if (other == ctx)
			continue;
		__atomic_store_n(&other->vcpu.run->immediate_exit, 1, __ATOMIC_RELEASE);
		pthread_kill(other->thread, SIGUSR2);
	}
}

static pthread_barrier_t vm_created;
static int vm_thread_end[2];	/* a pipe: its write end closed when the run is over */

/* Create the VM, then live until the run is over: KVM names its debugfs after us. */
static void *create_vm(void *arg)
{
	struct scenario_ctx *ctx = arg;
	char c;

	vm_create_type(&ctx->vm, ctx->scenario->vm_type);
	pthread_barrier_wait(&vm_created);
	while (read(vm_thread_end[0], &c, 1) > 0)
		;
	return NULL;
}

static void *run_secondary(void *arg)
{
	struct scenario_ctx *ctx = arg;
	bool ok = run_vcpu(ctx);

	if (!ok)
		stop_other_vcpus(ctx);
	return (void *)(long)ok;
}

int run_scenario(const struct scenario *sc, bool trace)
{
	unsigned int i, nr_vcpus = sc->nr_vcpus ?: 1, nr_exits = 0, exits[MAX_EXIT_REASON] = {};
	struct scenario_ctx *ctxs = calloc(nr_vcpus, sizeof(*ctxs)), *ctx = ctxs;
	struct sigaction stop_action = { .sa_handler = on_stop_signal };
	void *background_ok = (void *)1L, *vcpu_ok;
	pthread_t thread, creator;
	bool ok;

	if (!ctxs || nr_vcpus > GUEST_MAX_VCPUS)
		die("%s: cannot run %u vCPUs", sc->name, nr_vcpus);
	for (i = 0; i < nr_vcpus; i++) {
		ctxs[i] = (struct scenario_ctx){
			.scenario = sc,
			.vcpus = ctxs,
			.nr_vcpus = nr_vcpus,
			.trace = trace,
			.guest_status = -1,
		};
	}
	if (sc->vm_from_thread) {
		pthread_barrier_init(&vm_created, NULL, 2);
		if (pipe(vm_thread_end) || pthread_create(&creator, NULL, create_vm, ctx))
			die("%s: cannot start the thread that creates the VM", sc->name);
		pthread_barrier_wait(&vm_created);
	} else {
		vm_create_type(&ctx->vm, sc->vm_type);
	}
	if (sc->setup)
		sc->setup(ctx);
	vm_load_image(&ctx->vm, sc->guest->start, sc->guest->end - sc->guest->start);
	for (i = 0; i < nr_vcpus; i++) {
		ctxs[i].vm = ctx->vm;
		/* The guest's vCPU 0 turns the others on (PSCI CPU_ON). */
		vcpu_create(&ctx->vm, &ctxs[i].vcpu, i,
			    sc->vcpu_features | (i ? 1U << KVM_ARM_VCPU_POWER_OFF : 0));
		ctxs[i].vcpu.may_stop = sc->stops_with == EIO;
	}
	vm_finalize(&ctx->vm);

	if (sc->background && pthread_create(&thread, NULL, run_background, ctx))
		die("%s: cannot start a thread", sc->name);
	if (nr_vcpus > 1)
		sigaction(SIGUSR2, &stop_action, NULL);
	ctx->thread = pthread_self();
	for (i = 1; i < nr_vcpus; i++) {
		if (pthread_create(&ctxs[i].thread, NULL, run_secondary, &ctxs[i]))
			die("%s: cannot start vCPU %u's thread", sc->name, i);
	}
	ok = run_vcpu(ctx);
	if (!ok)
		stop_other_vcpus(ctx);
	for (i = 1; i < nr_vcpus; i++) {
		pthread_join(ctxs[i].thread, &vcpu_ok);
		ok = ok && vcpu_ok;
	}
	if (sc->background)
		pthread_join(thread, &background_ok);
	ok = ok && background_ok && (!sc->check || sc->check(ctx));
	if (sc->cleanup)
		sc->cleanup(ctx);
	for (i = 0; i < nr_vcpus; i++) {
		nr_exits += ctxs[i].nr_exits;
		exits[KVM_EXIT_MMIO] += ctxs[i].exits[KVM_EXIT_MMIO];
		exits[KVM_EXIT_HYPERCALL] += ctxs[i].exits[KVM_EXIT_HYPERCALL];
		exits[KVM_EXIT_ARM_NISV] += ctxs[i].exits[KVM_EXIT_ARM_NISV];
		vcpu_destroy(&ctxs[i].vcpu);
	}
	printf("testvmm: %s: %s (%u exits: %u mmio, %u hypercall, %u nisv)\n", sc->name,
	       ok ? "PASS" : "FAIL", nr_exits, exits[KVM_EXIT_MMIO],
	       exits[KVM_EXIT_HYPERCALL], exits[KVM_EXIT_ARM_NISV]);
	vm_destroy(&ctx->vm, NULL, 0);
	if (sc->vm_from_thread) {
		close(vm_thread_end[1]);
		pthread_join(creator, NULL);
		close(vm_thread_end[0]);
	}
	free(ctxs);
	return ok ? 0 : 1;
}
