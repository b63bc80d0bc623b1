// SPDX-License-Identifier: GPL-2.0
/*
 * kvmexit-bench: what the guest-timed loops of `kvmexit-testvmm bench` cannot show: how
 * long attaching, replacing and detaching a policy takes, the kernel memory a policy holds,
 * and exits with several VMs, each with its own policy, and several vCPUs at once. Times
 * are the emulated host's CLOCK_MONOTONIC: under QEMU's -icount shift=0 one nanosecond per
 * executed instruction, otherwise TCG wall clock. Every figure is printed as
 *   bench-op: KEY,MEDIAN,MIN,MAX,UNIT,DESCRIPTION
 * (a single measurement has all three equal).
 * Not a test: run by the bench target. The guest is tests/guest/spin.S, the policy
 * tests/bpf/bench.bpf.c (and tests/bpf/decline.bpf.c ahead of it on the chain); each loop
 * checks KVM's counters to be sure the policy answered.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "guests.h"
#include "policy.h"
#include "policy_tests.h"
#include "testdev.h"
#include "bench.skel.h"
#include "decline.skel.h"

DECLARE_GUEST(spin);

#define MAX_VCPUS	4
#define MAX_VMS		64
#define ATTACH_CYCLES	32
#define VM_EXITS	2000	/* per VM and path in the VMs benchmark */
#define VCPU_EXITS	5000	/* per vCPU and path in the vCPUs benchmark */
#define VCPU_ROUNDS	5	/* wall clock is noisy: median of rounds */
#define CHAIN_EXITS	2000	/* per round in the chain benchmark */
#define POLICY_BEFORE	(1U << 3)	/* KVM_ARM_EXIT_OPS_BEFORE */
#define MAX_POLICIES	8		/* KVM_ARM_EXIT_MAX_POLICIES */

struct spin_vm {
	struct vm vm;
	struct vcpu vcpus[MAX_VCPUS];
	int nr_vcpus;
	struct bench *policy;
	struct bpf_link *link;
};

/* A path the spin guest takes: an SMCCC call, or a read of an MMIO address. */
struct spin_path {
	const char *key;
	const char *description;
	uint64_t fid;
	uint64_t addr;
	const char *stat;	/* the KVM counter of the policy's answers, or NULL */
};

static const struct spin_path hvc_bpf = {
	"hvc-bpf-deny", "hvc denied by a BPF policy", BENCH_FID_BPF_DENY, 0,
	"exit_bpf_hvc_handled",
};
static const struct spin_path mmio_bpf = {
	"mmio-bpf-read", "mmio read emulated by a BPF policy", 0,
	TESTDEV_BASE + TESTDEV_DATA + BENCH_OFF_BPF, "exit_bpf_mmio_handled",
};
static const struct spin_path hvc_kvm = {
	"hvc-kvm", "hvc answered by KVM (PSCI_VERSION)", PSCI_0_2_VERSION, 0, "hvc_exit_stat",
};
static const struct spin_path mmio_vmm = {
	"mmio-vmm-read", "mmio read answered by the VMM", 0,
	TESTDEV_BASE + TESTDEV_DATA + BENCH_OFF_VMM, NULL,
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Print the median, minimum and maximum of @nr samples, each divided by @per. */
static void report(const char *key, uint64_t *samples, int nr, double per, const char *unit,
		   const char *description)
{
	qsort(samples, nr, sizeof(*samples), compare_u64);
	printf("bench-op: %s,%.1f,%.1f,%.1f,%s,%s\n", key, samples[nr / 2] / per,
	       samples[0] / per, samples[nr - 1] / per, unit, description);
}

static void report_value(const char *key, double value, const char *unit,
			 const char *description)
{
	printf("bench-op: %s,%.1f,%.1f,%.1f,%s,%s\n", key, value, value, value, unit,
	       description);
}

static void spin_vm_create(struct spin_vm *s, int nr_vcpus)
{
	int i;

	memset(s, 0, sizeof(*s));
	vm_create(&s->vm);
	vm_load_image(&s->vm, guest_spin.start, guest_spin.end - guest_spin.start);
	for (i = 0; i < nr_vcpus; i++)
		vcpu_create(&s->vm, &s->vcpus[i], i, 0);
	s->nr_vcpus = nr_vcpus;
	vm_finalize(&s->vm);
}

static void spin_vm_attach(struct spin_vm *s)
{
	s->policy = policy_load(bench, s->vm.fd);
	s->link = policy_attach(s->policy->maps.bench);
}

static void spin_vm_destroy(struct spin_vm *s)
{
	bpf_link__destroy(s->link);
	bench__destroy(s->policy);
	vm_destroy(&s->vm, s->vcpus, s->nr_vcpus);
}

/*
 * Run @exits exits of @path on @vcpu; the guest reports the end through TESTDEV_DONE. With
 * @user_ns, add the time spent in this VMM between KVM_RUN calls to it.
 */
static void spin_timed(struct vcpu *vcpu, const struct spin_path *path, uint64_t exits,
		       uint64_t *user_ns)
{
	struct kvm_run *run = vcpu->run;
	uint64_t answered = 0, before = 0, vmm = 0, returned;
	int ret;

	if (path->stat)
		before = kvm_read_stat(vcpu->fd, path->stat);
	vcpu_set_reg(vcpu, 19, path->fid);
	vcpu_set_reg(vcpu, 20, path->addr);
	vcpu_set_reg(vcpu, 21, exits);
	for (;;) {
		ret = vcpu_run(vcpu);
		if (user_ns)
			returned = now_ns();
		if (ret)
			die("vCPU %d KVM_RUN: %s", vcpu->id, strerror(-ret));
		if (run->exit_reason != KVM_EXIT_MMIO)
			die("vCPU %d: unexpected exit %s", vcpu->id,
			    exit_reason_name(run->exit_reason));
		if (run->mmio.phys_addr == TESTDEV_BASE + TESTDEV_DONE)
			break;
		if (run->mmio.phys_addr != path->addr || run->mmio.is_write)
			die("vCPU %d: unexpected MMIO at %#llx", vcpu->id,
			    (unsigned long long)run->mmio.phys_addr);
		memset(run->mmio.data, 0x5a, run->mmio.len);
		vmm++;
		if (user_ns)
			*user_ns += now_ns() - returned;
	}
	if (path->stat)
		answered = kvm_read_stat(vcpu->fd, path->stat) - before;
	else
		answered = vmm;
	if (answered != exits)
		die("vCPU %d: %s: %llu of %llu exits answered where expected", vcpu->id,
		    path->key, (unsigned long long)answered, (unsigned long long)exits);
}

static void spin(struct vcpu *vcpu, const struct spin_path *path, uint64_t exits)
{
	spin_timed(vcpu, path, exits, NULL);
}

/* The kernel memory a loaded program or map is charged for (its fdinfo "memlock"). */
static uint64_t fd_memlock(int fd)
{
	char path[64], line[128];
	unsigned long long value = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		die("%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "memlock: %llu", &value) == 1)
			break;
	fclose(f);
	return value;
}

static uint64_t policy_memlock(struct bench *policy)
{
	struct bpf_program *prog;
	uint64_t total = fd_memlock(bpf_map__fd(policy->maps.bench));

	bpf_object__for_each_program(prog, policy->obj)
		total += fd_memlock(bpf_program__fd(prog));
	return total;
}

/*
 * Kernel memory a policy can take, in KiB: slab, vmalloc (BPF programs, JIT images, large
 * maps) and per-CPU allocations. Not MemFree, which the per-CPU page lists make jitter by
 * more than a policy's size.
 */
static long long kernel_alloc_kib(void)
{
	char key[64];
	long long value, total = 0;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		die("/proc/meminfo: %s", strerror(errno));
	while (fscanf(f, "%63s %lld%*[^\n]\n", key, &value) == 2)
		if (!strcmp(key, "Slab:") || !strcmp(key, "VmallocUsed:") ||
		    !strcmp(key, "Percpu:"))
			total += value;
	fclose(f);
	return total;
}

/* Attach, replace and detach ATTACH_CYCLES times on one VM; loading is timed apart. */
static void bench_attach(void)
{
	uint64_t load[ATTACH_CYCLES], attach[ATTACH_CYCLES], replace[ATTACH_CYCLES];
	uint64_t detach[ATTACH_CYCLES], t;
	struct bench *first, *second;
	struct bpf_link *link;
	struct spin_vm s;
	int i;

	spin_vm_create(&s, 1);
	for (i = 0; i < ATTACH_CYCLES; i++) {
		t = now_ns();
		first = policy_load(bench, s.vm.fd);
		load[i] = now_ns() - t;
		second = policy_load(bench, s.vm.fd);

		t = now_ns();
		link = bpf_map__attach_struct_ops(first->maps.bench);
		attach[i] = now_ns() - t;
		if (!link)
			die("attach: %s", strerror(errno));
		t = now_ns();
		if (bpf_link__update_map(link, second->maps.bench))
			die("replace: %s", strerror(errno));
		replace[i] = now_ns() - t;
		t = now_ns();
		bpf_link__destroy(link);
		detach[i] = now_ns() - t;
		/* Still answered by KVM's default after all that. */
		spin(&s.vcpus[0], &mmio_vmm, 16);

		bench__destroy(second);
		bench__destroy(first);
	}
	report("load", load, ATTACH_CYCLES, 1000, "us",
	       "open + verify + JIT a two-program policy (libbpf skeleton load)");
	report("attach", attach, ATTACH_CYCLES, 1000, "us", "attach to a VM (link create)");
	report("replace", replace, ATTACH_CYCLES, 1000, "us",
	       "replace the VM's policy (link update)");
	report("detach", detach, ATTACH_CYCLES, 1000, "us", "detach (link destroy)");
	vm_destroy(&s.vm, s.vcpus, s.nr_vcpus);
}

/* Exits per VM with 1 to MAX_VMS VMs, each with its own policy; memory per policy. */
static void bench_vms(void)
{
	static struct spin_vm vms[MAX_VMS];
	uint64_t per_vm[MAX_VMS], attach_last, t;
	long long before, after;
	int nr = 0, want, i;
	char key[32];

	for (i = 0; i < MAX_VMS; i++)
		spin_vm_create(&vms[i], 1);
	for (want = 1; want <= MAX_VMS; want *= 2) {
		attach_last = 0;
		for (; nr < want; nr++) {
			t = now_ns();
			spin_vm_attach(&vms[nr]);
			attach_last = now_ns() - t;
		}
		for (i = 0; i < nr; i++) {
			t = now_ns();
			spin(&vms[i].vcpus[0], &hvc_bpf, VM_EXITS);
			per_vm[i] = now_ns() - t;
		}
		snprintf(key, sizeof(key), "vms-%d-hvc-bpf-deny", nr);
		report(key, per_vm, nr, VM_EXITS, "ns/exit",
		       "hvc denied by each VM's own policy (spread over the VMs)");
		snprintf(key, sizeof(key), "vms-%d-load-attach", nr);
		report_value(key, attach_last / 1000.0, "us", "load + attach the last VM's policy");
	}

	/* Memory: detach and unload them all, then load and attach 64 again, measured. */
	for (i = 0; i < MAX_VMS; i++) {
		bpf_link__destroy(vms[i].link);
		bench__destroy(vms[i].policy);
	}
	sleep(1);	/* let RCU free what the policies held */
	before = kernel_alloc_kib();
	for (i = 0; i < MAX_VMS; i++)
		spin_vm_attach(&vms[i]);
	after = kernel_alloc_kib();
	report_value("memory-per-policy", (after - before) / (double)MAX_VMS, "KiB",
		     "kernel memory per policy (Slab + VmallocUsed + Percpu), 64 loaded and attached");
	report_value("memlock-per-policy", policy_memlock(vms[0].policy) / 1024.0, "KiB",
		     "what BPF charges a policy: fdinfo memlock of its struct_ops map and programs");
	for (i = 0; i < MAX_VMS; i++)
		spin_vm_destroy(&vms[i]);
}

/*
 * Where a userspace MMIO round trip's cost goes, against the same read answered by BPF:
 * the whole exit, the VMM's own share (KVM_RUN return to the next KVM_RUN, including the
 * clock reads), and KVM_RUN with immediate_exit (system call and vCPU load/put, no guest
 * entry).
 */
static void bench_breakdown(void)
{
	uint64_t user = 0, t;
	struct spin_vm s;
	int i, ret;

	spin_vm_create(&s, 1);
	spin_vm_attach(&s);
	t = now_ns();
	spin(&s.vcpus[0], &mmio_bpf, VCPU_EXITS);
	report_value("breakdown-mmio-bpf", (now_ns() - t) / (double)VCPU_EXITS, "ns/exit",
		     mmio_bpf.description);
	t = now_ns();
	spin_timed(&s.vcpus[0], &mmio_vmm, VCPU_EXITS, &user);
	report_value("breakdown-mmio-vmm", (now_ns() - t) / (double)VCPU_EXITS, "ns/exit",
		     mmio_vmm.description);
	report_value("breakdown-mmio-vmm-userspace", user / (double)VCPU_EXITS, "ns/exit",
		     "of which in the VMM, from KVM_RUN's return to the next KVM_RUN");
	s.vcpus[0].run->immediate_exit = 1;
	t = now_ns();
	for (i = 0; i < VCPU_EXITS; i++) {
		ret = ioctl(s.vcpus[0].fd, KVM_RUN, NULL);
		if (ret != -1 || errno != EINTR)
			die("KVM_RUN with immediate_exit: %d (%s)", ret, strerror(errno));
	}
	report_value("breakdown-kvm-run-immediate-exit", (now_ns() - t) / (double)VCPU_EXITS,
		     "ns/call", "KVM_RUN with immediate_exit: the system call, no guest entry");
	s.vcpus[0].run->immediate_exit = 0;
	spin_vm_destroy(&s);
}

/* Points of tests/machine/exit-stamps.patch (enum kvm_exit_stamp_point), in order. */
static const char *const stamp_points[] = {
	"enter", "guest-in", "guest-out", "exited", "handle_exit", "io_mem_abort",
	"mmio-hook", "prog", "prog-done", "io-done", "fastpath", "handled", "hvc-hook",
	"smccc",
};
#define NR_STAMP_POINTS	(sizeof(stamp_points) / sizeof(stamp_points[0]))
#define STAMPS_PARAM	"/sys/module/kvm/parameters/exit_stamps"
#define STAMP_EXITS	2000

/* Read (and so reset) the kernel's stamp sums; print those of @key's exits, if a key. */
static void read_stamps(const char *key, uint64_t exits)
{
	unsigned int from, to;
	unsigned long long sum, count;
	FILE *f = fopen(STAMPS_PARAM, "r");
	double total = 0;

	if (!f)
		die("%s: %s (boot the kernel built with tests/machine/exit-stamps.patch)",
		    STAMPS_PARAM, strerror(errno));
	while (fscanf(f, "%u %u %llu %llu", &from, &to, &sum, &count) == 4) {
		/*
		 * The path's own segments: not those of the guest's report, nor of the few
		 * exits a host interrupt sent through the run loop instead.
		 */
		if (!key || count < exits * 9 / 10 || from >= NR_STAMP_POINTS ||
		    to >= NR_STAMP_POINTS)
			continue;
		printf("bench-stamp: %s,%s,%s,%.1f,%llu\n", key, stamp_points[from],
		       stamp_points[to], (double)sum / count, count);
		total += (double)sum / count;
	}
	fclose(f);
	if (key)
		printf("bench-stamp: %s,total,,%.1f,%llu\n", key, total, (unsigned long long)exits);
}

/*
 * Where an exit's instructions go (with the measurement-only kernel of
 * tests/machine/exit-stamps.patch, under -icount shift=0): the mean ticks between
 * consecutive points of each path's exits, fast path off and on.
 */
static void bench_stamps(void)
{
	static const struct spin_path vgic_read = {
		"mmio-vgic-read", "mmio read of the in-kernel vGIC distributor", 0,
		GIC_DIST_BASE + 4, "mmio_exit_kernel",
	};
	static const struct spin_path hvc_kvm = {
		"hvc-kvm-smccc-version", "hvc answered by KVM (SMCCC_VERSION)", 0x80000000U, 0,
		"hvc_exit_stat",
	};
	static const struct spin_path hvc_emul = {
		"hvc-bpf-emulated", "hvc emulated by a BPF policy", BENCH_FID_BPF_EMUL, 0,
		"exit_bpf_hvc_handled",
	};
	const struct spin_path *paths[] = { &mmio_bpf, &vgic_read, &hvc_emul, &hvc_kvm };
	char key[64];
	struct spin_vm s;
	unsigned int i;
	int fast;

	spin_vm_create(&s, 1);
	spin_vm_attach(&s);
	for (fast = 0; fast <= 1; fast++) {
		set_exit_bpf_fastpath(fast);
		for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
			spin(&s.vcpus[0], paths[i], 16);	/* warm up */
			read_stamps(NULL, 0);
			spin(&s.vcpus[0], paths[i], STAMP_EXITS);
			snprintf(key, sizeof(key), "%s%s", paths[i]->key,
				 fast ? "" : "-no-fastpath");
			read_stamps(key, STAMP_EXITS);
		}
	}
	spin_vm_destroy(&s);
}

struct vcpu_job {
	struct vcpu *vcpu;
	const struct spin_path *path;
	pthread_barrier_t *start;
};

static void *vcpu_thread(void *arg)
{
	struct vcpu_job *job = arg;
	cpu_set_t cpu;

	/* One host CPU per vCPU thread, as VMMs pin them: no migration between rounds. */
	CPU_ZERO(&cpu);
	CPU_SET(job->vcpu->id % sysconf(_SC_NPROCESSORS_ONLN), &cpu);
	if (pthread_setaffinity_np(pthread_self(), sizeof(cpu), &cpu))
		die("vCPU %d thread affinity: %s", job->vcpu->id, strerror(errno));

	pthread_barrier_wait(job->start);
	spin(job->vcpu, job->path, VCPU_EXITS);
	return NULL;
}

/* 1, 2 and MAX_VCPUS vCPUs of one VM exiting at once: wall clock of the slowest. */
static void bench_vcpus(void)
{
	static const struct spin_path *const paths[] = { &hvc_bpf, &mmio_bpf, &mmio_vmm };
	pthread_t threads[MAX_VCPUS];
	struct vcpu_job jobs[MAX_VCPUS];
	pthread_barrier_t start;
	struct spin_vm s;
	uint64_t t, rate[VCPU_ROUNDS];
	char key[48], description[96];
	unsigned int p;
	int n, i, r;

	spin_vm_create(&s, MAX_VCPUS);
	spin_vm_attach(&s);
	for (p = 0; p < sizeof(paths) / sizeof(paths[0]); p++) {
		for (n = 1; n <= MAX_VCPUS; n *= 2) {
			for (r = 0; r < VCPU_ROUNDS; r++) {
				pthread_barrier_init(&start, NULL, n + 1);
				for (i = 0; i < n; i++) {
					jobs[i] = (struct vcpu_job){ &s.vcpus[i], paths[p], &start };
					if (pthread_create(&threads[i], NULL, vcpu_thread, &jobs[i]))
						die("vCPU thread: %s", strerror(errno));
				}
				pthread_barrier_wait(&start);
				t = now_ns();
				for (i = 0; i < n; i++)
					pthread_join(threads[i], NULL);
				rate[r] = n * VCPU_EXITS * 1000000000ULL / (now_ns() - t);
				pthread_barrier_destroy(&start);
			}
			snprintf(key, sizeof(key), "vcpus-%d-%s", n, paths[p]->key);
			snprintf(description, sizeof(description), "%s, %d vCPUs at once",
				 paths[p]->description, n);
			report(key, rate, VCPU_ROUNDS, 1, "exits/s", description);
		}
	}
	spin_vm_destroy(&s);
}

/* ns per exit of @path on vCPU 0 of @s: the median of VCPU_ROUNDS rounds. */
static double ns_per_exit(struct spin_vm *s, const struct spin_path *path)
{
	uint64_t t[VCPU_ROUNDS], start;
	int r;

	for (r = 0; r < VCPU_ROUNDS; r++) {
		start = now_ns();
		spin(&s->vcpus[0], path, CHAIN_EXITS);
		t[r] = now_ns() - start;
	}
	qsort(t, VCPU_ROUNDS, sizeof(*t), compare_u64);
	return t[VCPU_ROUNDS / 2] / (double)CHAIN_EXITS;
}

/* A declining policy (decline_hvc or decline_mmio of @skel) on @s's VM, first on its chain. */
static struct bpf_link *attach_decliner(struct spin_vm *s, struct decline **skel, bool hvc)
{
	struct decline *d = decline__open();
	struct bpf_link *link;

	if (!d)
		die("decline: open: %s", strerror(errno));
	d->struct_ops.decline_hvc->vm_fd = s->vm.fd;
	d->struct_ops.decline_hvc->flags = POLICY_BEFORE;
	d->struct_ops.decline_mmio->vm_fd = s->vm.fd;
	if (decline__load(d))
		die("decline: load: %s", strerror(errno));
	link = policy_attach(hvc ? d->maps.decline_hvc : d->maps.decline_mmio);
	*skel = d;
	return link;
}

/*
 * What the chain costs: an HVC the bench policy denies, with 0, 1, 2, 4 and 7 declining
 * policies ahead of it (a chain holds 8); and an HVC KVM answers with no policy at all,
 * then with a policy that has an mmio callback only (the chain must not make the HVC pay).
 */
static void bench_chain(void)
{
	static const int declining[] = { 0, 1, 2, 4, MAX_POLICIES - 1 };
	struct bpf_link *links[MAX_POLICIES], *mmio_link;
	struct decline *decliners[MAX_POLICIES], *mmio_only;
	double base = 0, t, none;
	char key[64], desc[128];
	struct spin_vm s;
	int i, n = 0;

	spin_vm_create(&s, 1);
	spin_vm_attach(&s);
	for (i = 0; i < (int)(sizeof(declining) / sizeof(declining[0])); i++) {
		for (; n < declining[i]; n++)
			links[n] = attach_decliner(&s, &decliners[n], true);
		t = ns_per_exit(&s, &hvc_bpf);
		snprintf(key, sizeof(key), "chain-hvc-bpf-deny-%d-declining", n);
		snprintf(desc, sizeof(desc), "hvc denied by a BPF policy, %d declining ahead of it", n);
		report_value(key, t, "ns/exit", desc);
		if (!n) {
			base = t;
			continue;
		}
		snprintf(key, sizeof(key), "chain-per-declining-policy-%d", n);
		report_value(key, (t - base) / n, "ns/policy", "what each declining policy adds");
	}
	while (n--) {
		bpf_link__destroy(links[n]);
		decline__destroy(decliners[n]);
	}
	bpf_link__destroy(s.link);
	s.link = NULL;
	none = ns_per_exit(&s, &hvc_kvm);
	report_value("chain-hvc-kvm-no-policy", none, "ns/exit",
		     "hvc answered by KVM (PSCI_VERSION), no policy attached");
	mmio_link = attach_decliner(&s, &mmio_only, false);
	t = ns_per_exit(&s, &hvc_kvm);
	report_value("chain-hvc-kvm-mmio-policy", t, "ns/exit",
		     "hvc answered by KVM (PSCI_VERSION), a policy with an mmio callback only");
	report_value("chain-hvc-kvm-mmio-policy-extra", t - none, "ns/exit",
		     "what that policy costs the hvc");
	bpf_link__destroy(mmio_link);
	decline__destroy(mmio_only);
	spin_vm_destroy(&s);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	policy_init();
	if (argc == 2 && !strcmp(argv[1], "attach"))
		bench_attach();
	else if (argc == 2 && !strcmp(argv[1], "vms"))
		bench_vms();
	else if (argc == 2 && !strcmp(argv[1], "vcpus"))
		bench_vcpus();
	else if (argc == 2 && !strcmp(argv[1], "breakdown"))
		bench_breakdown();
	else if (argc == 2 && !strcmp(argv[1], "stamps"))
		bench_stamps();
	else if (argc == 2 && !strcmp(argv[1], "chain"))
		bench_chain();
	else {
		fprintf(stderr, "usage: kvmexit-bench attach|vms|vcpus|breakdown|stamps|chain\n");
		return 2;
	}
	return 0;
}
