/* SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause */
/*
 * libkvmexit: attach BPF exit policies (struct kvm_arm_exit_ops, see the kernel's
 * Documentation/virt/kvm/arm/exit-bpf.rst) to KVM VMs, replace and detach them, and read
 * what they did.
 *
 * A VMM attaches a policy to its own VM:
 *
 *	struct kvmexit_policy *policy;
 *	int err = kvmexit_policy_open("filter.bpf.o", &policy);
 *
 *	if (!err)
 *		err = kvmexit_policy_set(policy, "allow", "0xc6000001,0x84000000");
 *	if (!err)
 *		err = kvmexit_policy_attach(policy, vm_fd);
 *
 * Functions return 0 or a negative errno and never print (libbpf's own messages go where
 * the application's libbpf_set_print() sends them). A verifier rejection is -EACCES or
 * -EINVAL from kvmexit_policy_attach(); kvmexit_policy_log() then has the verifier's log.
 * Each errno has one meaning per function, given with it; a policy object is loaded once:
 * attaching or replacing with it again is -EALREADY.
 *
 * Structs passed in and out start with a size field (sz = sizeof(the struct), as libbpf's
 * opts): a program built against an older header passes its smaller size, and this library
 * neither reads nor writes past it.
 */
#ifndef LIBKVMEXIT_H
#define LIBKVMEXIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * This library's version: 0.2 added chains (targets and places, kvmexit_read_chain());
 * 0.3 made it a shared library (soname libkvmexit.so.0, symbols versioned LIBKVMEXIT_0.3),
 * stats with a size, replace and detach of attached and pinned policies, map access and
 * parameters; 0.4 carries a replaced policy's state over (KVMEXIT_ATTACH_FRESH not to),
 * refuses one VM's device on a cgroup or the host (kvmexit_policy_one_vm()), lays out
 * struct kvmexit_stats so that it grows at its end, and adds VM ids (kvmexit_read_vm_id()).
 */
#define LIBKVMEXIT_MAJOR_VERSION	0
#define LIBKVMEXIT_MINOR_VERSION	4

/* The version of the library linked at run time, "MAJOR.MINOR". */
const char *kvmexit_version(void);

struct kvmexit_policy;
struct bpf_object;

/*
 * Does the running kernel have the kvmexit series (struct kvm_arm_exit_ops in its BTF)?
 * 0: yes; -EOPNOTSUPP: no (boot a kvmexit kernel); another -errno: its BTF cannot be read.
 */
int kvmexit_kernel_supported(void);

/* struct kvm_arm_exit_ops.flags, the kernel's enum kvm_arm_exit_ops_flags. */
#define KVMEXIT_OPS_HOST_WIDE	(1U << 0)	/* target: every VM (set by the attach functions) */
#define KVMEXIT_OPS_FAIL_CLOSED	(1U << 1)	/* ejected, the policy stops its VM */
#define KVMEXIT_OPS_CGROUP	(1U << 2)	/* target: VMs created in a cgroup (idem) */
#define KVMEXIT_OPS_BEFORE	(1U << 3)	/* place (idem) */
#define KVMEXIT_OPS_AFTER	(1U << 4)

/* The most policies a VM's chain holds (the kernel's KVM_ARM_EXIT_MAX_POLICIES). */
#define KVMEXIT_MAX_POLICIES	8

/*
 * Open a policy object: an ELF BPF object with one struct kvm_arm_exit_ops. -ENOMSG: it
 * has none, or several; else libbpf's error (-ENOENT: no such file, ...).
 */
int kvmexit_policy_open(const char *path, struct kvmexit_policy **policy);
void kvmexit_policy_close(struct kvmexit_policy *policy);

/*
 * Set a global variable of the policy before it is attached: an integer ("42", "0x2a",
 * "-1"; decimal, or hexadecimal after 0x: "010" is ten, since 0.4), or for an array of
 * integers a comma-separated list (the rest is zeroed).
 * -ENOENT: no such variable; -EINVAL: not a number; -ERANGE: too many or too large;
 * -EALREADY: the policy is loaded (its parameters are fixed).
 */
int kvmexit_policy_set(struct kvmexit_policy *policy, const char *name, const char *value);

/*
 * The policy's parameters, the global variables kvmexit_policy_set() sets (const volatile
 * ones, and initialized .data ones; not its .bss state): @fn is called with each one's name,
 * type ("u32", "s64", "u32[16]") and value as kvmexit_policy_set() takes it (an array's
 * without its trailing zeros), until it returns nonzero, which is returned.
 */
int kvmexit_policy_params(const struct kvmexit_policy *policy,
			  int (*fn)(const char *name, const char *type, const char *value,
				    void *arg), void *arg);

/*
 * Where a policy goes. A VM's exits go through a chain of policies: the host-wide ones,
 * those of the cgroups its VMM was in when it created the VM, then the VM's own; each
 * exit goes through the policies with a callback for it, in order, until one answers
 * (returns a verdict other than DEFAULT that KVM takes). The host-wide and cgroup
 * policies are the operator's (CAP_SYS_ADMIN): they are not asked where the VMM
 * configured an exit's answer itself (a DENY of its SMCCC filter, NISV and SEA exits to
 * userspace).
 */
enum kvmexit_target {
	KVMEXIT_TARGET_VM,	/* the VM whose fd is opts.fd */
	KVMEXIT_TARGET_CGROUP,	/* every VM created from now on in the cgroup v2 opts.fd */
	KVMEXIT_TARGET_HOST,	/* every VM, now and later */
};

/* Where among its target's policies (a VM's own, a cgroup's, the host-wide ones). */
enum kvmexit_place {
	KVMEXIT_PLACE_LAST,	/* after them all */
	KVMEXIT_PLACE_FIRST,	/* before them all */
	KVMEXIT_PLACE_BEFORE,	/* right before the policy whose id is opts.anchor_id */
	KVMEXIT_PLACE_AFTER,	/* right after it */
};

/* kvmexit_attach_opts.flags */
#define KVMEXIT_ATTACH_FRESH	(1U << 0)	/* replace: start from the new policy's own state */

struct kvmexit_attach_opts {
	size_t sz;		/* sizeof(struct kvmexit_attach_opts), as libbpf's opts */
	enum kvmexit_target target;
	int fd;			/* the VM's or the cgroup's; unused for the host */
	enum kvmexit_place place;
	uint32_t anchor_id;	/* kvmexit_policy_id() of the policy to place it by */
	uint32_t flags;		/* KVMEXIT_ATTACH_*; unknown bits: -EINVAL (since 0.4) */
};

/*
 * Does the policy keep one VM's state (KVMEXIT_ONE_VM in bpf/kvmexit.h: an emulated
 * device)? Such a policy attaches to a VM only (since 0.4).
 */
bool kvmexit_policy_one_vm(const struct kvmexit_policy *policy);

/*
 * Load the policy for a target and attach it. -E2BIG: the target's chain is full
 * (KVMEXIT_MAX_POLICIES, host-wide and cgroup policies together count against every
 * VM's); -ENOENT: no policy with anchor_id among the target's; -EBADF: not a VM (or
 * cgroup) fd; -EPERM: not allowed (a protected VM, or the operator's targets without
 * CAP_SYS_ADMIN); -EALREADY: the policy object was loaded already (open it again);
 * -EXDEV: the policy keeps one VM's state and the target is a cgroup or the host;
 * -EOPNOTSUPP: the kernel's kvm_arm_exit_ops cannot express the target or place, or this
 * libbpf cannot associate the policy's syscall programs (older than 1.7); -ENOMSG: its
 * struct_ops has no vm_fd member (not a kvm_arm_exit_ops); -EINVAL: bad opts; -EACCES or
 * -EINVAL with kvmexit_policy_log() set: the verifier rejected it.
 */
int kvmexit_policy_attach_opts(struct kvmexit_policy *policy,
			       const struct kvmexit_attach_opts *opts);
/* The same, last among the VM @vm_fd's own policies. */
int kvmexit_policy_attach(struct kvmexit_policy *policy, int vm_fd);
/* The same, last among the host-wide policies. */
int kvmexit_policy_attach_host_wide(struct kvmexit_policy *policy);
/* An attached policy's id, its struct_ops map's (0 before it is loaded). */
uint32_t kvmexit_policy_id(const struct kvmexit_policy *policy);
/*
 * Replace the attached policy @old with @policy, in its place on every chain that has it,
 * atomically (no exit goes without one of them): @policy is loaded for @opts (the same
 * target as @old's; -EINVAL otherwise) and takes over @old's link (and, if @old was
 * pinned, what is pinned beside it); @old is left detached (close it). -ENOLINK: @old is not
 * attached, or KVM ejected it, or its VM is gone.
 *
 * The state carries over, unless opts->flags has KVMEXIT_ATTACH_FRESH: each map of @policy
 * takes over @old's map of the same name and definition (both share it: rules, counts, a
 * ring buffer and its reader), each global of its data sections @old's value of the same
 * name (a data section of the same layout is shared whole), each parameter (.rodata) @old's
 * unless kvmexit_policy_set() gave it one. Not carried: maps holding BPF timers or other
 * kernel objects (the new policy arms its own), and what @old does not have (the new
 * policy's default). -EPROTO: a map or global of the same name that differs in definition or
 * size; kvmexit_policy_log() names it, and nothing was replaced.
 */
int kvmexit_policy_replace(struct kvmexit_policy *old, struct kvmexit_policy *policy,
			   const struct kvmexit_attach_opts *opts);
/*
 * The fd of the policy's map @name, e.g. the rules a VMM changes at run time (the
 * policy keeps it): -ENOENT: no such map; -EBADF: not loaded yet.
 */
int kvmexit_policy_map_fd(const struct kvmexit_policy *policy, const char *name);
/* The policy's libbpf object, for everything else libbpf does (the policy keeps it). */
struct bpf_object *kvmexit_policy_object(const struct kvmexit_policy *policy);
/*
 * Pin the attached policy's link in bpffs at @path, so it outlives this process, and beside
 * it, at @path-NAME (dots made underscores; a policy's name, a C identifier, has no dash, so
 * policy "foo" never takes "foo_bar"'s), each program of the policy that userspace runs
 * (SEC("syscall"), associated with the policy's map at load: its kfuncs reach the policy's
 * VM) and each of its maps but the struct_ops one (its rules and counters, for tools such as
 * bpftool; and the kernel lets a program arm a BPF timer only while userspace holds or pins
 * its map).
 */
int kvmexit_policy_pin(struct kvmexit_policy *policy, const char *path);
/*
 * Replace the policy behind a pinned link with @policy, for the same target and in the same
 * place, atomically: no exit goes without one of them. The state carries over from the maps
 * pinned beside the link, as kvmexit_policy_replace() says. What it pins beside the link
 * (see kvmexit_policy_pin()) replaces what was there; the pinned link stays the only holder
 * (@policy->link stays NULL: detach with kvmexit_detach_pinned()). -EINVAL: another target;
 * -ENOLINK: the link's policy was ejected or its VM is gone; -EPERM: it was replaced
 * meanwhile; -EPROTO: state that does not fit (see kvmexit_policy_replace()); another error
 * after the swap (pinning, with the new policy deciding) is the pin's.
 */
int kvmexit_policy_replace_pinned_opts(const char *link_path, struct kvmexit_policy *policy,
				       const struct kvmexit_attach_opts *opts);
/* The same, for a VM's own policy. */
int kvmexit_policy_replace_pinned(const char *link_path, struct kvmexit_policy *policy,
				  int vm_fd);
/*
 * Remove what is pinned beside the link pinned at @link_path: the maps and programs at
 * @link_path-NAME, NAME without a dash (what kvmexit_policy_pin() pins, and nothing of a link
 * pinned at @link_path-2 or of what is pinned beside it).
 */
int kvmexit_unpin_beside(const char *link_path);
/*
 * Where kvmexit_policy_pin() pins the program or map @name beside the link pinned at
 * @link_path: "@link_path-@name", dots made underscores (bpffs refuses them), into @path
 * (@size bytes, cut if shorter) (since 0.4).
 */
void kvmexit_beside_path(char *path, size_t size, const char *link_path, const char *name);
/*
 * The id (kvmexit_policy_id()) of the policy whose link is pinned at @link_path, in *@id: 0
 * if the link is detached (KVM ejected the policy, or its VM is gone). Returns 0; -ENOLINK:
 * what is pinned there is not a policy's link; -ENOENT: nothing is; else a negative errno
 * (since 0.4).
 */
int kvmexit_pinned_policy_id(const char *link_path, uint32_t *id);
/*
 * Detach the policy now, even if its link is pinned or another process holds it (the link
 * stays, detached, until its last holder lets go): its VMs stop asking it at once.
 * -ENOLINK: not attached.
 */
int kvmexit_policy_detach(struct kvmexit_policy *policy);
/*
 * Detach the policy whose link is pinned at @link_path, then remove the pin and what is
 * pinned beside it. -ENOENT: nothing pinned there; -EINVAL: not a link.
 */
int kvmexit_detach_pinned(const char *link_path);
/* The verifier's log of the last failed attach ("" if none). */
const char *kvmexit_policy_log(const struct kvmexit_policy *policy);
/* The name of the policy's struct_ops variable. */
const char *kvmexit_policy_name(const struct kvmexit_policy *policy);

enum kvmexit_exit {
	KVMEXIT_MMIO, KVMEXIT_NISV, KVMEXIT_LDST64B, KVMEXIT_SEA, KVMEXIT_HVC, KVMEXIT_VNCR,
	KVMEXIT_NR_EXITS,
};

struct kvmexit_counters {
	uint64_t handled, to_user, injected, defaulted, errors, refused;
	uint64_t spare[2];	/* room for the outcomes of later kernels (0 today) */
};

/* Room for the exits of later kernels: a new one takes the next slot, nothing moves. */
#define KVMEXIT_MAX_EXITS	16

/*
 * What the policies did with a VM's exits. It grows at its end only: a field added later
 * goes after exit[], new exits and outcomes take the room kept for them, so a caller built
 * against an older header reads the same fields at the same places (since 0.4; 0.3's struct,
 * 304 bytes with exit[6] then ejected, is still read as 0.3 laid it out).
 */
struct kvmexit_stats {
	size_t sz;		/* sizeof(struct kvmexit_stats) */
	uint64_t ejected;	/* VM: 0, or why its policy was ejected (1: forbidden verdicts) */
	struct kvmexit_counters exit[KVMEXIT_MAX_EXITS];	/* by enum kvmexit_exit */
};

/* Where a policy on a VM's chain came from. */
enum kvmexit_origin {
	KVMEXIT_ORIGIN_NONE, KVMEXIT_ORIGIN_HOST, KVMEXIT_ORIGIN_CGROUP, KVMEXIT_ORIGIN_VM,
};

struct kvmexit_chain_entry {
	uint32_t id;		/* the policy's struct_ops map id */
	enum kvmexit_origin origin;
};

/*
 * The policies on the chain of the VM @vm_fd, in order, into @entries (room for @max):
 * returns how many there are, or a negative errno (-ENOENT: a kernel without chains).
 */
int kvmexit_read_chain(int vm_fd, struct kvmexit_chain_entry *entries, int max);
const char *kvmexit_origin_name(enum kvmexit_origin origin);

const char *kvmexit_exit_name(enum kvmexit_exit exit);
/*
 * Add a vCPU's counters (KVM binary statistics of a vCPU fd) to @stats, up to stats->sz
 * (whole counters). -ENOENT: a kernel without exit policies; -EINVAL: stats->sz too small
 * for ejected (a struct from before 0.3, which had no size field, among them).
 */
int kvmexit_add_vcpu_stats(int vcpu_fd, struct kvmexit_stats *stats);
/* Read the VM's own statistics (ejected) from a VM fd into @stats: as above. */
int kvmexit_read_vm_stats(int vm_fd, struct kvmexit_stats *stats);
/*
 * The VM's id (its exit_bpf_vm_id statistic), what its policies see in ctx->vm_id: a
 * number KVM gives each VM at its creation, from 1, never given to another VM until the
 * host reboots (unlike the VMM's pid or the VM's fd number). Returns 0; -ENOENT on a
 * kernel without VM ids; else a negative errno.
 */
int kvmexit_read_vm_id(int vm_fd, uint64_t *id);

#ifdef __cplusplus
}
#endif

#endif
