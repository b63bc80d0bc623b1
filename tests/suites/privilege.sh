#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Who may attach what, as the kernel and kvmexit enforce it (README, "Privileges"):
#  - a policy is a BPF struct_ops: loading one needs CAP_BPF and CAP_PERFMON;
#  - a per-VM policy needs the VM's fd in the attaching process: the VMM's own, or taken
#    with pidfd_getfd(), which needs ptrace rights over the VMM (the same uid and at least
#    the VMM's capabilities, or CAP_SYS_PTRACE);
#  - the host-wide policy (vm_fd -1) needs CAP_SYS_ADMIN as well.
# Processes here are root with a reduced capability set (with-caps); as-nobody is uid 65534.
P=/usr/lib/kvmexit/tests
failures=0
. /tests/serve-lib.sh

# A VMM attaching to its own VM: CAP_BPF and CAP_PERFMON suffice ...
expect 0 "policy-hvc: PASS" with-caps bpf,perfmon kvmexit-testvmm policy-hvc
# ... without CAP_BPF it cannot load a policy at all ...
expect 2 "load: Operation not permitted" with-caps perfmon kvmexit-testvmm policy-hvc
# ... and the host-wide policy also needs CAP_SYS_ADMIN (EPERM from the kernel's reg()).
expect 2 "attach: Operation not permitted" with-caps bpf,perfmon kvmexit-testvmm policy-hostwide
expect 0 "policy-hostwide: PASS" with-caps bpf,perfmon,sys_admin kvmexit-testvmm policy-hostwide
expect 255 "can't register struct_ops live_policy: Operation not permitted" \
	with-caps bpf,perfmon bpftool struct_ops register $P/live_policy.bpf.o /sys/fs/bpf

# kvmexit against a VMM with all of root's capabilities: a process with fewer has no ptrace
# rights over it, whatever else it holds; uid nobody neither.
start_serve /tmp/privilege-root.log
root_vmm=$served
expect 3 "no ptrace rights" with-caps bpf,perfmon,sys_admin kvmexit attach --pid $root_vmm \
	$P/live_policy.bpf.o
expect 3 "no ptrace rights" as-nobody kvmexit attach --pid $root_vmm $P/live_policy.bpf.o
expect 0 "attached" with-caps bpf,perfmon,sys_admin,sys_ptrace kvmexit attach \
	--pid $root_vmm $P/live_policy.bpf.o
expect 0 "detached" kvmexit detach --pid $root_vmm
kill -USR1 $root_vmm
wait $root_vmm || { echo "not ok: the root VMM's check failed"; failures=$((failures + 1)); }

# The operator's policies are replaced by the operator alone: without CAP_SYS_ADMIN the
# kernel refuses (EPERM from its update()), host-wide or a cgroup's, and the policy stays.
grep -q ' /sys/fs/cgroup cgroup2 ' /proc/mounts || mount -t cgroup2 cgroup2 /sys/fs/cgroup
mkdir -p /sys/fs/cgroup/kvmexit-privilege
expect 0 "attached chain_policy to the host" kvmexit attach --host $P/chain_policy.bpf.o
expect 3 "not permitted (CAP_SYS_ADMIN needed)" \
	with-caps bpf,perfmon kvmexit replace --host $P/chain_policy.bpf.o
expect 0 "detached chain_policy from the host" kvmexit detach --host
expect 0 "attached chain_policy to cgroup" \
	kvmexit attach --cgroup /sys/fs/cgroup/kvmexit-privilege $P/chain_policy.bpf.o
expect 3 "not permitted (CAP_SYS_ADMIN needed)" with-caps bpf,perfmon \
	kvmexit replace --cgroup /sys/fs/cgroup/kvmexit-privilege $P/chain_policy.bpf.o
expect 0 "detached chain_policy from cgroup" \
	kvmexit detach --cgroup /sys/fs/cgroup/kvmexit-privilege
rmdir /sys/fs/cgroup/kvmexit-privilege

# A VMM with no capabilities at all: a process with ptrace rights over it and CAP_BPF and
# CAP_PERFMON attaches; with ptrace rights but without CAP_BPF, the kernel refuses the load.
with-caps none kvmexit-testvmm serve >/tmp/privilege-nocaps.log 2>&1 &
plain_vmm=$!
wait_for_vm $plain_vmm
expect 3 "not permitted" with-caps perfmon kvmexit attach --pid $plain_vmm $P/live_policy.bpf.o
expect 0 "attached" with-caps bpf,perfmon kvmexit attach --pid $plain_vmm $P/live_policy.bpf.o
expect 0 "detached" with-caps bpf,perfmon kvmexit detach --pid $plain_vmm
kill -USR1 $plain_vmm
wait $plain_vmm ||
	{ echo "not ok: the VMM without capabilities: its check failed"; failures=$((failures + 1)); }

echo "privilege: $failures failures"
[ $failures -eq 0 ]
