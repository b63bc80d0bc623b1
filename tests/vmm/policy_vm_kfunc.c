// SPDX-License-Identifier: GPL-2.0
/*
 * bpf_kvm_vm_set_spi() reaches the VM of the policy its program is associated with, and
 * nothing else (tests/bpf/vm_kfunc.bpf.c): -ENOENT for a program associated with no map, and
 * for one associated with another struct_ops type's map (a TCP congestion control's: its
 * kernel data must not be read as a kvm_arm_exit_ops); -ENODEV while its policy is not
 * attached, 0 while it is, -ENODEV again once it is detached.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "guests.h"
#include "policy.h"
#include "vm_kfunc.skel.h"

DECLARE_GUEST(hvc_forward);

static struct vm_kfunc *skel;

static void vm_kfunc_setup(struct scenario_ctx *ctx)
{
	forward_test_range(ctx);	/* the guest's calls are this VMM's to answer */
	skel = policy_load(vm_kfunc, ctx->vm.fd);
	if (bpf_program__assoc_struct_ops(skel->progs.set_spi_foreign, skel->maps.vm_kfunc_ca,
					  NULL) ||
	    bpf_program__assoc_struct_ops(skel->progs.set_spi_own, skel->maps.vm_kfunc, NULL))
		die("vm_kfunc: associating: %s", strerror(errno));
}

/* Run @prog: its result, the kfunc's; @want, or a failure. */
static bool expect_run(struct scenario_ctx *ctx, struct bpf_program *prog, const char *when,
		       int want)
{
	LIBBPF_OPTS(bpf_test_run_opts, run);

	if (bpf_prog_test_run_opts(bpf_program__fd(prog), &run))
		return scenario_fail(ctx, "%s: BPF_PROG_RUN: %s", bpf_program__name(prog),
				     strerror(errno));
	printf("testvmm: %s: %s %s: %s\n", ctx->scenario->name, bpf_program__name(prog), when,
	       (int)run.retval ? strerror(-(int)run.retval) : "0");
	if ((int)run.retval != want)
		return scenario_fail(ctx, "%s %s: %d, expected %d", bpf_program__name(prog), when,
				     (int)run.retval, want);
	return true;
}

static bool vm_kfunc_check(struct scenario_ctx *ctx)
{
	struct bpf_link *link;
	bool ok;

	if (!expect_run(ctx, skel->progs.set_spi_unassociated, "associated with no map",
			-ENOENT) ||
	    !expect_run(ctx, skel->progs.set_spi_foreign, "associated with a TCP CA's map",
			-ENOENT) ||
	    !expect_run(ctx, skel->progs.set_spi_own, "before its policy is attached", -ENODEV))
		return false;
	link = policy_attach(skel->maps.vm_kfunc);
	ok = expect_run(ctx, skel->progs.set_spi_own, "while its policy is attached", 0) &&
	     expect_run(ctx, skel->progs.set_spi_foreign, "while the policy is attached",
			-ENOENT);
	bpf_link__destroy(link);
	return ok && expect_run(ctx, skel->progs.set_spi_own, "after the detach", -ENODEV);
}

static void vm_kfunc_cleanup(struct scenario_ctx *ctx)
{
	vm_kfunc__destroy(skel);
}

const struct scenario scenario_policy_vm_kfunc = {
	.name = "policy-vm-kfunc",
	.description = "bpf_kvm_vm_set_spi() reaches its own policy's VM only",
	.guest = &guest_hvc_forward,
	.setup = vm_kfunc_setup,
	.handle_exit = hvc_forward_exit,
	.check = vm_kfunc_check,
	.cleanup = vm_kfunc_cleanup,
};
