#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Mutation check: do the suites catch a broken feature?

Applies each mutation of MUTATIONS (a small edit to the patched kernel tree, a policy or the
test VMM) alone, rebuilds incrementally, runs the suite that should catch it, and reports
which were caught: a mutation is caught when at least one test of its suite fails. Every
edit is undone afterwards, and the kernel and the build tree are rebuilt as they were.

    mutate.py --build BUILD_DIR --source SOURCE_DIR [NAME...]

Kernel mutations edit the patched source tree (BUILD_DIR's kernel build's `source`) in place
and rebuild it with the series unchanged (tests/machine/build-kernel.sh keeps the tree while
the series is the same); repository mutations edit SOURCE_DIR and rebuild BUILD_DIR.
"""
import argparse
import os
import re
import subprocess
import sys

# name, where (kernel: path in the kernel tree; repo: path in this repository), the exact
# text to replace (once), its replacement, the suite that must catch it, and why it matters.
MUTATIONS = [
    ('kernel', 'vncr-inject-ignored', 'arch/arm64/kvm/exit_bpf.c',
     '\tesr |= run.staged.inject_iss ?: ESR_ELx_FSC_EXTABT;\n',
     '\tesr |= ESR_ELx_FSC_EXTABT;\n', 'nested',
     'a VNCR INJECT gives KVM\'s syndrome, not the policy\'s'),
    ('kernel', 'eject-threshold-doubled', 'arch/arm64/kvm/exit_bpf.c',
     '#define KVM_ARM_EXIT_MAX_ERRORS\t64\n', '#define KVM_ARM_EXIT_MAX_ERRORS\t128\n', 'cli',
     'a policy is ejected after 128 errors instead of 64'),
    ('kernel', 'vm-kept-at-detach', 'arch/arm64/kvm/exit_bpf.c',
     '\t\tbreak;\n\t}\n\tkvm_arm_exit_set_vm(ops, NULL);\n\tops->link = NULL;\n',
     '\t\tbreak;\n\t}\n\tops->link = NULL;\n',
     'policy', 'a detached policy\'s timer still raises its old VM\'s SPI'),
    ('kernel', 'foreign-ops-taken', 'arch/arm64/kvm/exit_bpf.c',
     '\t    map->btf_vmlinux_value_type_id != kvm_arm_exit_value_id)\n', '\t    false)\n',
     'policy', 'another struct_ops type\'s kernel data read as a policy\'s'),
    ('kernel', 'is-smc-not-filled', 'arch/arm64/kvm/exit_bpf.c',
     '\t\trun.ctx.is_smc = ec == ESR_ELx_EC_SMC32 ||\n\t\t\t\t ec == ESR_ELx_EC_SMC64;\n',
     '', 'policy', 'ctx->is_smc stays 0 (and ctx->pc of an SMC is off by 4)'),
    ('kernel', 'arch-calls-to-policies', 'arch/arm64/kvm/hypercalls.c',
     '\tif (!kvm_smccc_is_arch_call(func_id)) {\n', '\tif (true) {\n', 'policy',
     'policies see the Arm Architecture Calls'),
    ('kernel', 'set-reg-immediate', 'arch/arm64/kvm/exit_bpf.c',
     '\trun->regs[reg] = val;\n', '\trun->regs[reg] = val;\n\tvcpu_set_reg(run->vcpu, reg, val);\n',
     'policy', 'register writes reach the guest whatever the verdict'),
    ('kernel', 'refusals-eject', 'arch/arm64/kvm/exit_bpf.c',
     '\telse\n\t\tkvm_arm_exit_refused(vcpu, hook, verdict);\n',
     '\telse\n\t\tkvm_arm_exit_bad_verdict(vcpu, ops, hook, verdict);\n', 'policy',
     'a verdict a guest can provoke counts towards ejection'),
    ('kernel', 'fnv-dropped', 'arch/arm64/kvm/exit_bpf.c',
     '\t\trun->staged.inject_iss |= ESR_ELx_FnV;\n', '', 'synthetic',
     'an SEA without a valid FAR is injected as if it had one'),
    ('kernel', 'vmm-config-overridden', 'arch/arm64/kvm/exit_bpf.c',
     '\t\tif (cb->operator && vmm_decides)\n\t\t\tcontinue;\n', '', 'policy',
     'the operator\'s policies override what the VMM configured (NISV to user, filter DENY)'),
    ('kernel', 'chain-asks-only-the-first', 'arch/arm64/kvm/exit_bpf.c',
     '\tfor (; cb < end; cb++) {\n', '\tfor (end = cb + 1; cb < end; cb++) {\n', 'policy',
     'a policy that declines ends the chain: the next is never asked'),
    ('kernel', 'chain-keeps-staged', 'arch/arm64/kvm/exit_bpf.c',
     '\t\tif (run->staged.dirty)\n\t\t\tmemset(&run->staged, 0, sizeof(run->staged));\n',
     '', 'policy',
     'what a refused or erring policy staged reaches the guest through the next one'),
    ('kernel', 'cgroup-not-at-creation', 'arch/arm64/kvm/exit_bpf.c',
     '\t\t\tif (task_under_cgroup_hierarchy(current, ops->cgroup))\n',
     '\t\t\tif (false)\n', 'qemu',
     'a VM created in a cgroup with a policy starts without it'),
    ('kernel', 'mmio-read-data-lost', 'arch/arm64/kvm/exit_bpf.c',
     '\t\t\tkvm_mmio_write_buf(data_buf, run.ctx.len,\n\t\t\t\t\t   run.staged.mmio_data);\n',
     '\t\t\tkvm_mmio_write_buf(data_buf, run.ctx.len, 0);\n', 'policy',
     'an emulated MMIO read returns 0, not the policy\'s data'),
    ('kernel', 'ld64b-pc-not-advanced', 'arch/arm64/kvm/exit_bpf.c',
     '\t\tkvm_arm_exit_commit_regs(&run);\n\t\tkvm_incr_pc(vcpu);\n',
     '\t\tkvm_arm_exit_commit_regs(&run);\n', 'synthetic',
     'a completed LD64B is executed again'),
    ('kernel', 'fail-closed-ignored', 'arch/arm64/kvm/exit_bpf.c',
     '\t\tif (fail_closed)\n\t\t\tkvm_vm_dead(kvm);\n', '', 'policy',
     'a fail-closed policy\'s VM runs on without it'),
    ('kernel', 'sign-extend-not-filled', 'arch/arm64/kvm/exit_bpf.c',
     '\t\trun.ctx.sign_extend = kvm_vcpu_dabt_issext(vcpu);\n', '', 'policy',
     'ctx->sign_extend stays 0'),
    ('kernel', 'reg64-not-filled', 'arch/arm64/kvm/exit_bpf.c',
     '\t\trun.ctx.reg64 = kvm_vcpu_dabt_issf(vcpu);\n', '', 'policy',
     'ctx->reg64 stays 0'),
    ('kernel', 'errors-not-reset', 'arch/arm64/kvm/exit_bpf.c',
     '\t/* Unpublished, nothing counts towards this policy\'s errors any more. */\n'
     '\tatomic_set(&ops->errors, 0);\n', '', 'basic',
     'a policy attached again keeps its old error count'),
    ('kernel', 'fastpath-asks-twice', 'arch/arm64/kvm/exit_bpf.c',
     '\tif (vcpu->arch.exit_bpf_declined_exit == vcpu->stat.exits)\n\t\treturn -ENOENT;\n', '',
     'policy', 'a call the policy declined in the fast path is put to it again'),
    ('kernel', 'fastpath-param-ignored', 'arch/arm64/kvm/exit_bpf.c',
     '\tif (!READ_ONCE(kvm_arm_exit_fastpath_on) || !has_vhe() ||\n',
     '\tif (!has_vhe() ||\n', 'policy', 'kvm.exit_bpf_fastpath=N leaves the fast path on'),
    ('kernel', 'vm-id-is-tgid', 'arch/arm64/kvm/exit_bpf.c',
     '\tkvm->stat.exit_bpf_vm_id = atomic64_inc_return(&kvm_arm_exit_vm_ids);\n',
     '\tkvm->stat.exit_bpf_vm_id = task_tgid_nr(current);\n', 'policy',
     'a VM\'s id is its VMM\'s tgid: every VM of a process shares one'),
    ('kernel', 'vm-id-not-in-ctx', 'arch/arm64/kvm/exit_bpf.c',
     '\trun->ctx.vm_id = vcpu->kvm->stat.exit_bpf_vm_id;\n', '', 'policy',
     'policies see ctx->vm_id 0, not the id userspace reads'),
    ('repo', 'pl031-tai-37', 'policies/pl031.bpf.c',
     '\t\twall = bpf_kvm_realtime_ns();\n',
     '\t\twall = bpf_ktime_get_tai_ns() - 37 * NSEC_PER_SEC;\n', 'policy',
     'pl031 gives the guest CLOCK_TAI less 37 s: 37 s slow where no NTP daemon set the offset'),
    ('repo', 'pl031-counts-wall-clock', 'policies/pl031.bpf.c',
     '\tnow = bpf_ktime_get_ns();\n\tbpf_spin_lock(&state_lock);\n',
     '\tnow = bpf_kvm_realtime_ns();\n\tbpf_spin_lock(&state_lock);\n', 'policy',
     'pl031 counts with the host\'s wall clock: a step of it moves the guest\'s RTC back'),
    ('repo', 'pl031-frozen-at-reset', 'policies/pl031.bpf.c',
     'const volatile __u32 pl031_start_at_reset = 1;\n',
     'const volatile __u32 pl031_start_at_reset = 0;\n', 'policy',
     'pl031 stands still until the guest writes RTCCR, unlike QEMU\'s PL031 it replaces'),
    ('repo', 'pl011-tx-dropped-uncounted', 'policies/pl011.bpf.c',
     '\t\t__sync_fetch_and_add(&tx_dropped, 1);\n',
     '\t\t__sync_fetch_and_add(&tx_dropped, 0);\n', 'policy',
     'pl011 loses output without counting it'),
    ('repo', 'filter-forwards-unforwardable', 'policies/hypercall_filter.bpf.c',
     '\t\tif (!(exit->verdicts & (1 << KVM_ARM_EXIT_TO_USER))) {\n',
     '\t\tif (0) {\n', 'policies',
     'hypercall_filter forwards a call the VMM does not take'),
    ('repo', 'filter-counts-blinded', 'policies/hypercall_filter.bpf.c',
     '\t__uint(type, BPF_MAP_TYPE_LRU_HASH);\n\t__uint(max_entries, FILTER_MAX_COUNTED);\n',
     '\t__uint(type, BPF_MAP_TYPE_HASH);\n\t__uint(max_entries, FILTER_MAX_COUNTED);\n',
     'policies', 'a guest calling many ids fills the filter\'s counts and goes uncounted'),
    ('repo', 'filter-info-across-vms', 'policies/hypercall_filter.bpf.c',
     '\t\tbpf_kvm_exit_smccc_return(exit, SMCCC_RET_SUCCESS, vm ? vm->decided : 0,\n'
     '\t\t\t\t\t  vm ? vm->denied : 0, exit->vcpu_id);\n',
     '\t\tbpf_kvm_exit_smccc_return(exit, SMCCC_RET_SUCCESS, allowed + denied + forwarded +\n'
     '\t\t\t\t\t  answered, denied, exit->vcpu_id);\n', 'policies',
     'a guest\'s information call tells it of other VMs\' calls (a host-wide filter)'),
    ('repo', 'filter-state-per-vmm', 'policies/hypercall_filter.bpf.c',
     '\t__u64 id = exit->vm_id;\n', '\t__u64 id = bpf_get_current_pid_tgid() >> 32;\n',
     'policies', 'a filter\'s counts and log budget are per VMM: two VMs of one VMM share them'),
    ('repo', 'debugfs-main-thread-only', 'loader/cli/vms.c',
     '\tsnprintf(tasks, sizeof(tasks), "/proc/%d/task", pid);\n',
     '\treturn -ENOENT;\n', 'cli',
     'kvmexit shows no chain or counters for a VM another thread of its VMM created'),
    ('repo', 'console-maps-shared', 'loader/cli/kvmexit.c',
     '\t\terr = find_console_maps(link_fd, &candidate);\n',
     '\t\terr = find_console_maps(link_fd, maps);\n\t\tcandidate = *maps;\n', 'cli',
     'kvmexit console looks at every policy in one struct: one without ring buffers after '
     'the one found leaves it none (EBADF)'),
    ('repo', 'log-follow-vmm-exit-unseen', 'loader/cli/console.c',
     '\tif (pid && process_exited(pid))\n\t\t*ended = FOLLOW_VMM_EXITED;\n',
     '\tif (0)\n\t\t*ended = FOLLOW_VMM_EXITED;\n', 'cli',
     'kvmexit log --follow takes its VMM\'s exit for a detach'),
    ('repo', 'attach-unlocked', 'loader/cli/target.c',
     '\t\tif (flock(*lock_fd, LOCK_EX)) {\n', '\t\tif (0) {\n', 'cli',
     'two kvmexit attach of one name both find it free (one fails to pin)'),
    ('repo', 'replace-unlocked', 'loader/cli/kvmexit.c',
     '\tret = lock_target(&t, !replace, &lock_fd);\n',
     '\tret = replace ? (lock_fd = open("/", O_RDONLY), 0) : lock_target(&t, true, &lock_fd);\n',
     'cli', 'kvmexit replace goes ahead while a rule edit (or an attach) holds the lock'),
    ('repo', 'list-argv-raw', 'loader/cli/kvmexit.c',
     '\t\ttext_escaped(vm->cmdline, cmdline, sizeof(cmdline));\n',
     '\t\tsnprintf(cmdline, sizeof(cmdline), "%s", vm->cmdline);\n', 'cli',
     'a VMM\'s arguments reach the operator\'s terminal raw (escape sequences)'),
    ('repo', 'cli-numbers-octal', 'loader/cli/args.c',
     '\tint base = 10;\n', '\tint base = 0;\n', 'cli',
     'a rule for "010" is one for id 8'),
    ('repo', 'before-operator-unexplained', 'loader/cli/target.c',
     '\torigin = t->opts.target == KVMEXIT_TARGET_VM ? operator_policy(&t->vm, id) : NULL;\n',
     '\torigin = NULL;\n', 'cli',
     'attach --before an operator\'s policy says the policy is gone'),
    ('repo', 'rule-show-unloadable', 'policies/cli/rules.c',
     '\t\tfprintf(out, "%s %s%s%s\\n", what, action_name(action), name ? "  # " : "",\n',
     '\t\tfprintf(out, "%s %s%s%s\\n", what, action_name(action), name ? "  " : "",\n',
     'cli', 'rule show prints a name rule load cannot read back'),
    ('repo', 'unknown-flags-unnamed', 'loader/cli/kvmexit.c',
     '\tif (err == -EINVAL)\n\t\treturn invalid_ops(opt, policy);\n', '', 'reliability',
     'kvmexit attach of a policy with unknown flag bits says only "Invalid argument"'),
    ('repo', 'sleepable-unnamed', 'loader/cli/kvmexit.c',
     '\tif (strstr(log, "attach to unsupported member") && sleepable_callback(policy))\n',
     '\tif (0)\n', 'reliability',
     'kvmexit attach of a sleepable callback says only which member the verifier refused'),
    ('repo', 'lib-detach-pinned-leaves-link', 'loader/lib/policy.c',
     '\terr = bpf_link__detach(link);\n\tbpf_link__destroy(link);\n',
     '\terr = 0;\n\tbpf_link__destroy(link);\n', 'policy',
     'kvmexit_detach_pinned() leaves the policy deciding while another process holds its link'),
    ('repo', 'lib-stats-overrun', 'loader/lib/stats.c',
     '\t\t       size - sizeof(all.sz));\n', '\t\t       sizeof(all) - sizeof(all.sz));\n',
     'policy', 'the stats functions write past an older caller\'s smaller struct'),
    ('repo', 'filter-range-last-id-let-through', 'policies/hypercall_filter.bpf.c',
     '\t\tif (ranges[2 * i + 1] && ranges[2 * i] <= fid && fid <= ranges[2 * i + 1])\n',
     '\t\tif (ranges[2 * i + 1] && ranges[2 * i] <= fid && fid < ranges[2 * i + 1])\n',
     'policies', 'an attach-time range lets its last id through'),
    ('repo', 'filter-runtime-range-last-id-let-through', 'policies/hypercall_filter.bpf.c',
     '\tif (action == FILTER_NONE || fid < first || fid > last)\n',
     '\tif (action == FILTER_NONE || fid < first || fid >= last)\n',
     'policies', 'a run-time range lets its last id through'),
    ('repo', 'filter-range-read-torn', 'policies/hypercall_filter.bpf.c',
     '\tbpf_spin_lock(&range->lock);\n\tfirst = range->first;\n\tlast = range->last;\n'
     '\taction = range->action;\n\tbpf_spin_unlock(&range->lock);\n',
     '\tfirst = range->first;\n\tfor (int d = 0; d < 100; d++)\n'
     '\t\tasm volatile("" ::: "memory");\n\tlast = range->last;\n'
     '\taction = range->action;\n', 'policies',
     'a range read without its lock (the window widened) is seen half-edited'),
    ('repo', 'set-octal', 'loader/lib/policy.c',
     '\tint base = integer_base(s);\n', '\tint base = 0;\n', 'policy',
     'kvmexit_policy_set() reads "010" as eight'),
    ('repo', 'pins-by-fd', 'loader/cli/pins.c',
     '\t\t (unsigned long long)vm_id);\n', '\t\t 0ULL);\n', 'cli',
     'a VM made at the fd of a closed one takes the closed one\'s pins'),
    ('repo', 'replace-loses-state', 'loader/lib/policy.c',
     '\tif (running && !(OPT(opts, flags, 0) & KVMEXIT_ATTACH_FRESH)) {\n',
     '\tif (0) {\n', 'policies',
     'a replace loses the rules, counts and parameters the operator had'),
    ('repo', 'replace-params-over-set', 'loader/lib/carry.c',
     '\t\tif (!old || is_set(policy, name) || type_holds(btf, vsi->type, 0) != HELD_DATA)\n',
     '\t\tif (!old || type_holds(btf, vsi->type, 0) != HELD_DATA)\n', 'policies',
     'a replace overrides the parameters given with --set by the replaced policy\'s'),
    ('repo', 'replace-shares-changed-map', 'loader/lib/carry.c',
     '\t\tif (!same_definition(&info, map, why, sizeof(why))) {\n',
     '\t\tif (0) {\n', 'policies',
     'a replace shares a map whose layout changed with the new policy'),
    ('repo', 'unpin-beside-by-prefix', 'loader/lib/policy.c',
     '\t\tif (strncmp(d->d_name, base, len) || !d->d_name[len] ||\n'
     '\t\t    strchr(d->d_name + len, \'-\'))\n',
     '\t\tif (strncmp(d->d_name, base, len))\n', 'policy',
     'detaching a link pinned at x/vm removes what is pinned at x/vm-2'),
    ('repo', 'one-vm-device-host-wide', 'loader/lib/policy.c',
     '\tif (target != KVMEXIT_TARGET_VM && kvmexit_policy_one_vm(policy))\n',
     '\tif (0)\n', 'policies',
     'a device policy attaches host-wide, one device shared by every VM'),
    ('repo', 'stats-0.3-layout-ignored', 'loader/lib/stats.c',
     '\tbool v0_3 = stats->sz == sizeof(struct kvmexit_stats_0_3);\n',
     '\tbool v0_3 = false;\n', 'policy',
     'a caller built against 0.3 reads its counters and ejected at the wrong places'),
    ('repo', 'rule-edit-on-detached-filter', 'policies/cli/filter.c',
     '\tif (!with_log && !pinned_policy_id(f->link))\n', '\tif (0)\n', 'policies',
     'rule edits on a detached filter succeed and change nothing'),
    ('repo', 'vmm-answers-wrong', 'tests/vmm/hypercall.c',
     '\t\tvcpu_set_reg(&ctx->vcpu, i, vcpu_get_reg(&ctx->vcpu, i) + 1);\n',
     '\t\tvcpu_set_reg(&ctx->vcpu, i, vcpu_get_reg(&ctx->vcpu, i) + 2);\n', 'basic',
     'the test VMM answers a forwarded call with the wrong values'),
]


def run(cmd, **kw):
    return subprocess.run(cmd, **kw)


def rebuild_kernel(source, build):
    """The kernel from the tree as it is now (the series is unchanged, so it is kept)."""
    cache = read_cache(build, 'KVMEXIT_CACHE')
    kbuild = read_cache(build, 'KERNEL_BUILD')
    r = run([os.path.join(source, 'tests/machine/build-kernel.sh'), cache,
             os.path.join(source, 'kernel-hooks'),
             os.path.join(source, 'kernel-hooks/kvmexit.config'), kbuild],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode:
        sys.exit('mutate: the kernel does not build:\n' + r.stdout[-3000:])


def rebuild_tree(build):
    r = run(['cmake', '--build', build, '-j', str(os.cpu_count())],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode:
        sys.exit('mutate: the build tree does not build:\n' + r.stdout[-3000:])


def read_cache(build, var):
    with open(os.path.join(build, 'CMakeCache.txt')) as f:
        for line in f:
            m = re.match(r'^%s:[A-Z]+=(.*)$' % var, line)
            if m:
                return m.group(1)
    sys.exit('mutate: %s not in %s/CMakeCache.txt' % (var, build))


def run_suite(source, build, suite, results):
    """The names of the suite's tests that failed (or the suite's own failure)."""
    kbuild = read_cache(build, 'KERNEL_BUILD')
    # The qemu suite's host carries QEMU: an initramfs of its own.
    initramfs = 'qemu-host/initramfs.cpio' if suite == 'qemu' else 'initramfs.cpio'
    r = run([os.path.join(source, 'tests/machine/run-suite.sh'),
             os.path.join(source, 'tests/suites/%s.suite' % suite),
             os.path.join(kbuild, 'arch/arm64/boot/Image'),
             os.path.join(build, 'tests/machine', initramfs), results],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    failed = re.findall(r'^run-suite: %s\.([^:]+): ' % re.escape(suite), r.stdout, re.M)
    if r.returncode and not failed:
        failed = ['(the host: crash, hang or splat)']
    # A host that never reached /init (no initramfs, say) caught nothing: stop, do not count.
    with open(os.path.join(results, 'console.log'), errors='replace') as f:
        if 'KVMEXIT-INIT' not in f.read():
            sys.exit('mutate: the host never reached /init for suite %s:\n%s'
                     % (suite, r.stdout[-2000:]))
    return failed, r.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--build', required=True)
    ap.add_argument('--source', required=True)
    ap.add_argument('names', nargs='*')
    args = ap.parse_args()
    build, source = os.path.abspath(args.build), os.path.abspath(args.source)
    ktree = os.path.realpath(os.path.join(read_cache(build, 'KERNEL_BUILD'), 'source'))
    chosen = [m for m in MUTATIONS if not args.names or m[1] in args.names]
    results_dir = os.path.join(build, 'results/mutation')
    caught = 0
    report = []
    try:
        for where, name, path, old, new, suite, why in chosen:
            root = ktree if where == 'kernel' else source
            full = os.path.join(root, path)
            with open(full) as f:
                original = f.read()
            if original.count(old) != 1:
                sys.exit('mutate: %s: the text to replace is in %s %d times' %
                         (name, path, original.count(old)))
            print('mutate: %s: %s (%s), suite %s' % (name, why, path, suite), flush=True)
            try:
                with open(full, 'w') as f:
                    f.write(original.replace(old, new))
                if where == 'kernel':
                    rebuild_kernel(source, build)
                else:
                    rebuild_tree(build)
                failed, _ = run_suite(source, build, suite,
                                      os.path.join(results_dir, name))
            finally:
                # Rebuilt at once: the next mutation must meet everything else intact.
                with open(full, 'w') as f:
                    f.write(original)
                if where == 'kernel':
                    rebuild_kernel(source, build)
                else:
                    rebuild_tree(build)
            if failed:
                caught += 1
                line = 'mutate: %s: CAUGHT by %s' % (name, ', '.join(failed))
            else:
                line = 'mutate: %s: MISSED (suite %s passed)' % (name, suite)
            print(line, flush=True)
            report.append(line)
    finally:
        rebuild_kernel(source, build)	# as it was, whatever happened
    print('\n'.join(report))
    print('mutate: %d of %d mutations caught' % (caught, len(chosen)))
    return 0 if caught == len(chosen) else 1


sys.exit(main())
