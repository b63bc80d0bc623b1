// SPDX-License-Identifier: GPL-2.0
/*
 * A protected VM (KVM_VM_TYPE_ARM_PROTECTED, host booted with kvm-arm.mode=protected) is
 * out of every policy's reach: a policy for it is refused (EPERM), and the host-wide policy
 * installed meanwhile does not see its hypercalls, which KVM answers itself
 * (tests/guest/pvm_calls.c); KVM counts no policy outcome for its vCPU.
 */
#include "guests.h"
#include "policy.h"
#include "policy_tests.h"
#include "live_policy.skel.h"

DECLARE_GUEST(pvm_calls);

static struct live_policy *hostwide;
static struct bpf_link *hostwide_link;

static void pvm_setup(struct scenario_ctx *ctx)
{
	struct live_policy *own = policy_load(live_policy, ctx->vm.fd);

	if (bpf_map__attach_struct_ops(own->maps.live_policy) || errno != EPERM)
		die("a policy for the protected VM: %s, expected EPERM", strerror(errno));
	printf("testvmm: %s: a policy for the protected VM: refused with %s\n",
	       ctx->scenario->name, strerror(errno));
	live_policy__destroy(own);
	hostwide = policy_load(live_policy, -1);
	hostwide_link = policy_attach(hostwide->maps.live_policy);
}

static bool pvm_check(struct scenario_ctx *ctx)
{
	uint64_t host_hvcs = kvm_read_stat(ctx->vcpu.fd, "hvc_exit_stat");

	/*
	 * Each reached the host's HVC handler, where the hook is, not only the hypervisor;
	 * the guest makes no other hypercall.
	 */
	if (host_hvcs != PVM_CALLS)
		return scenario_fail(ctx, "hvc_exit_stat %llu: the host's handler saw other than "
				     "the guest's %d calls", (unsigned long long)host_hvcs, PVM_CALLS);
	if (hostwide->bss->answered)
		return scenario_fail(ctx, "the host-wide policy answered %llu of the protected "
				     "VM's calls", (unsigned long long)hostwide->bss->answered);
	if (!expect_no_policy_outcome(ctx, "hvc"))
		return false;
	printf("testvmm: %s: %d hypercalls reached the host's handler (hvc_exit_stat %llu), "
	       "answered by KVM, none seen by the host-wide policy\n", ctx->scenario->name,
	       PVM_CALLS, (unsigned long long)host_hvcs);
	return true;
}

static void pvm_cleanup(struct scenario_ctx *ctx)
{
	bpf_link__destroy(hostwide_link);
	live_policy__destroy(hostwide);
}

static bool pvm_exit(struct scenario_ctx *ctx)
{
	char what[256];

	describe_exit(&ctx->vcpu, what, sizeof(what));
	return scenario_fail(ctx, "unexpected exit %s", what);
}

const struct scenario scenario_policy_pvm = {
	.name = "policy-pvm",
	.description = "a protected VM: refused a policy, unseen by the host-wide one",
	.guest = &guest_pvm_calls,
	.vm_type = KVM_VM_TYPE_ARM_PROTECTED,
	.setup = pvm_setup,
	.handle_exit = pvm_exit,
	.check = pvm_check,
	.cleanup = pvm_cleanup,
};
