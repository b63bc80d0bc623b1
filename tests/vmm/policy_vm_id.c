// SPDX-License-Identifier: GPL-2.0
/*
 * The VM's id (ctx->vm_id): the guest (tests/guest/vm_id.c) reads the id its policy
 * (tests/bpf/vm_id_policy.bpf.c) sees and reports it; it must equal what
 * kvmexit_read_vm_id() reads from the VM's statistics, and the VM's debugfs file
 * exit_bpf_vm_id. Then, from this same process: a second VM gets another nonzero id; once
 * it is destroyed, a third VM gets the fd number the second had, and the same debugfs
 * directory name (PID-FD), but a new id, larger than both.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "guests.h"
#include "libkvmexit.h"
#include "policy.h"
#include "policy_tests.h"
#include "testdev.h"
#include "vm_id_policy.skel.h"

DECLARE_GUEST(vm_id);

static struct vm_id_policy *skel;
static struct bpf_link *policy_link;
static uint64_t reported;	/* what the guest's policy saw */

static void vm_id_setup(struct scenario_ctx *ctx)
{
	skel = policy_load(vm_id_policy, ctx->vm.fd);
	policy_link = policy_attach(skel->maps.vm_id_policy);
}

static bool vm_id_exit(struct scenario_ctx *ctx)
{
	struct kvm_run *run = ctx->vcpu.run;
	char what[256];

	if (run->exit_reason == KVM_EXIT_MMIO && run->mmio.is_write && run->mmio.len == 8 &&
	    run->mmio.phys_addr == TESTDEV_BASE + TESTDEV_DATA + VM_ID_REPORT && !ctx->step) {
		memcpy(&reported, run->mmio.data, sizeof(reported));
		ctx->step++;
		return true;
	}
	describe_exit(&ctx->vcpu, what, sizeof(what));
	return scenario_fail(ctx, "unexpected exit %s", what);
}

/* The id of VM @fd through libkvmexit and through its debugfs file; 0 after a failure. */
static uint64_t read_id(struct scenario_ctx *ctx, int fd)
{
	char path[96], text[32] = "";
	uint64_t id, shown;
	FILE *f;
	int err;

	err = kvmexit_read_vm_id(fd, &id);
	if (err) {
		scenario_fail(ctx, "kvmexit_read_vm_id(VM fd %d): %s", fd, strerror(-err));
		return 0;
	}
	snprintf(path, sizeof(path), "/sys/kernel/debug/kvm/%d-%d/exit_bpf_vm_id", getpid(), fd);
	f = fopen(path, "re");
	if (!f || !fgets(text, sizeof(text), f)) {
		scenario_fail(ctx, "%s: %s", path, strerror(errno));
		if (f)
			fclose(f);
		return 0;
	}
	fclose(f);
	shown = strtoull(text, NULL, 10);
	if (shown != id) {
		scenario_fail(ctx, "%s says %" PRIu64 ", the VM's statistics %" PRIu64, path,
			      shown, id);
		return 0;
	}
	return id;
}

static int create_vm(struct scenario_ctx *ctx)
{
	int fd = ioctl(ctx->vm.kvm_fd, KVM_CREATE_VM, 0);

	if (fd < 0)
		scenario_fail(ctx, "KVM_CREATE_VM: %s", strerror(errno));
	return fd;
}

/* A second VM of this process, then a third at the fd number of the destroyed second. */
static bool check_other_vms(struct scenario_ctx *ctx, uint64_t first)
{
	uint64_t second, third;
	int fd, again;

	fd = create_vm(ctx);
	if (fd < 0)
		return false;
	second = read_id(ctx, fd);
	close(fd);
	if (!second)
		return false;
	if (second == first)
		return scenario_fail(ctx, "two VMs of one process have id %" PRIu64, first);
	again = create_vm(ctx);
	if (again < 0)
		return false;
	third = read_id(ctx, again);
	close(again);
	if (again != fd)
		return scenario_fail(ctx, "the third VM got fd %d, not the destroyed second's %d: "
				     "no fd to show reused", again, fd);
	if (!third)
		return false;
	if (third <= second || third <= first)
		return scenario_fail(ctx, "VM ids %" PRIu64 ", %" PRIu64 ", then %" PRIu64
				     " at the second's fd %d: not a new id", first, second,
				     third, fd);
	printf("testvmm: %s: VM ids %" PRIu64 " (the guest's), %" PRIu64 " (fd %d), %" PRIu64
	       " (fd %d again, the second destroyed)\n", ctx->scenario->name, first, second,
	       fd, third, again);
	return true;
}

static bool vm_id_check(struct scenario_ctx *ctx)
{
	uint64_t id;

	if (ctx->step != 1)
		return scenario_fail(ctx, "the guest never reported its VM's id");
	id = read_id(ctx, ctx->vm.fd);
	if (!id)
		return false;
	if (reported != id)
		return scenario_fail(ctx, "the policy saw ctx->vm_id %" PRIu64 ", "
				     "kvmexit_read_vm_id() reads %" PRIu64, reported, id);
	return check_other_vms(ctx, id);
}

static void vm_id_cleanup(struct scenario_ctx *ctx)
{
	bpf_link__destroy(policy_link);
	vm_id_policy__destroy(skel);
}

const struct scenario scenario_policy_vm_id = {
	.name = "policy-vm-id",
	.description = "ctx->vm_id: the VM's own id, as kvmexit_read_vm_id() reads it",
	.guest = &guest_vm_id,
	.setup = vm_id_setup,
	.handle_exit = vm_id_exit,
	.check = vm_id_check,
	.cleanup = vm_id_cleanup,
};
