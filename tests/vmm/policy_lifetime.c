// SPDX-License-Identifier: GPL-2.0
/*
 * Attaching: what is refused (not a VM, a closed fd, a policy attached twice) and what a
 * policy does not do: keep its VM alive. A VM closed while its policy's link is pinned is
 * destroyed (its debugfs directory goes away), the orphaned link detaches cleanly, and a new
 * VM can take a policy.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guests.h"
#include "policy.h"
#include "live_policy.skel.h"

DECLARE_GUEST(hvc_forward);

#define PIN_PATH	"/sys/fs/bpf/kvmexit-test-orphan"

static struct live_policy *attached;
static struct bpf_link *attached_link;

/* Load a policy for @vm_fd and try to attach it: the link, or NULL with @err set. */
static struct bpf_link *try_attach(int vm_fd, struct live_policy **skelp, int *err)
{
	struct live_policy *skel = policy_load(live_policy, vm_fd);
	struct bpf_link *link = bpf_map__attach_struct_ops(skel->maps.live_policy);

	*err = link ? 0 : errno;
	if (!link) {
		live_policy__destroy(skel);
		skel = NULL;
	}
	*skelp = skel;
	return link;
}

static bool expect_refused(struct scenario_ctx *ctx, const char *what, int vm_fd, int want)
{
	struct live_policy *skel;
	struct bpf_link *link;
	int err;

	link = try_attach(vm_fd, &skel, &err);
	if (link) {
		bpf_link__destroy(link);
		live_policy__destroy(skel);
		return scenario_fail(ctx, "%s: attached, expected %s", what, strerror(want));
	}
	if (err != want)
		return scenario_fail(ctx, "%s: %s, expected %s", what, strerror(err),
				     strerror(want));
	printf("testvmm: %s: %s: refused with %s\n", ctx->scenario->name, what, strerror(err));
	return true;
}

/* The attached policy's map linked a second time: refused, one place per policy. */
static bool expect_relink_refused(struct scenario_ctx *ctx)
{
	struct bpf_link *link = bpf_map__attach_struct_ops(attached->maps.live_policy);
	int err = link ? 0 : errno;

	bpf_link__destroy(link);
	if (err != EBUSY)
		return scenario_fail(ctx, "the attached policy linked again: %s, expected %s",
				     err ? strerror(err) : "attached", strerror(EBUSY));
	printf("testvmm: %s: the attached policy linked again: refused with %s\n",
	       ctx->scenario->name, strerror(err));
	return true;
}

static void lifetime_setup(struct scenario_ctx *ctx)
{
	int err;

	forward_test_range(ctx);
	attached_link = try_attach(ctx->vm.fd, &attached, &err);
	if (!attached_link)
		die("live_policy: attach to VM fd %d: %s", ctx->vm.fd, strerror(err));
}

/* A VM whose policy link outlives it, pinned in bpffs. */
static bool check_orphaned_link(struct scenario_ctx *ctx)
{
	struct live_policy *skel;
	struct bpf_link *link;
	char dir[64];
	struct stat st;
	struct vm vm;
	int err;

	vm_create(&vm);
	snprintf(dir, sizeof(dir), "/sys/kernel/debug/kvm/%d-%d", getpid(), vm.fd);
	link = try_attach(vm.fd, &skel, &err);
	if (!link)
		return scenario_fail(ctx, "attach to a second VM: %s", strerror(err));
	unlink(PIN_PATH);
	if (bpf_link__pin(link, PIN_PATH))
		return scenario_fail(ctx, "pin %s: %s", PIN_PATH, strerror(errno));
	bpf_link__disconnect(link);
	bpf_link__destroy(link);

	vm_destroy(&vm, NULL, 0);
	if (!stat(dir, &st))
		return scenario_fail(ctx, "%s still exists: the pinned policy keeps its VM alive",
				     dir);
	printf("testvmm: %s: VM closed with its policy pinned: destroyed (%s gone)\n",
	       ctx->scenario->name, dir);
	if (unlink(PIN_PATH))
		return scenario_fail(ctx, "unpin %s: %s", PIN_PATH, strerror(errno));
	live_policy__destroy(skel);
	return true;
}

static bool lifetime_check(struct scenario_ctx *ctx)
{
	int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	int closed_fd = dup(null_fd);
	bool ok;

	close(closed_fd);
	ok = expect_refused(ctx, "a file that is not a VM", null_fd, EBADF) &&
	     expect_refused(ctx, "a closed fd", closed_fd, EBADF) &&
	     expect_relink_refused(ctx) &&
	     check_orphaned_link(ctx);
	close(null_fd);
	/* The policy saw the guest's three calls and left each to KVM. */
	if (ok && policy_stat(ctx, "hvc", "defaulted") != 3)
		return scenario_fail(ctx, "exit_bpf_hvc_defaulted %llu, expected 3",
				     (unsigned long long)policy_stat(ctx, "hvc", "defaulted"));
	return ok;
}

static void lifetime_cleanup(struct scenario_ctx *ctx)
{
	bpf_link__destroy(attached_link);
	live_policy__destroy(attached);
}

const struct scenario scenario_policy_lifetime = {
	.name = "policy-lifetime",
	.description = "attach refusals; a VM destroyed under its pinned policy",
	.guest = &guest_hvc_forward,
	.setup = lifetime_setup,
	.handle_exit = hvc_forward_exit,	/* the policy leaves those calls alone */
	.check = lifetime_check,
	.cleanup = lifetime_cleanup,
};
