# SPDX-License-Identifier: GPL-2.0
# Sourced by the suites that drive kvmexit against a running VMM.

# Waits are for events, bounded only against a hang: a loaded machine may take long.
WAIT_LIMIT=60

# wait_until COMMAND...: until COMMAND succeeds (WAIT_LIMIT seconds at most); 1 if it never did.
wait_until() {
	i=0
	until "$@"; do
		[ $i -ge $((WAIT_LIMIT * 10)) ] && return 1
		sleep 0.1
		i=$((i + 1))
	done
}

# start_serve LOG: start kvmexit-testvmm serve in the background, logging to LOG, and wait
# until kvmexit sees its VM with its vCPU; the VMM's pid is in $served.
start_serve() {
	kvmexit-testvmm serve >"$1" 2>&1 &
	served=$!
	wait_for_vm "$served"
}

# has_vm PID VCPUS: does kvmexit list a VM of PID with VCPUS vCPUs?
has_vm() {
	kvmexit list --json | grep -q "\"pid\":$1,.*\"vcpus\":$2,"
}

# wait_for_vm PID [VCPUS]: until kvmexit lists a VM of PID with VCPUS vCPUs (default 1).
# A VM that does not come is a failure (counted), and returns 1.
wait_for_vm() {
	wait_until has_vm "$1" "${2:-1}" && return
	not_ok "no VM of process $1 with ${2:-1} vCPU(s) after ${WAIT_LIMIT} s"
	return 1
}

# expect CODE PATTERN COMMAND...: COMMAND exits with CODE and prints PATTERN ("" for
# anything); a mismatch is printed with the output and counted in $failures.
expect() {
	code=$1 pattern=$2
	shift 2
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" -ne "$code" ] || ! printf '%s\n' "$out" | grep -q -e "$pattern"; then
		echo "not ok: $* -> exit $rc (expected $code, output matching '$pattern'):"
		printf '%s\n' "$out" | tail -n 20 | sed 's/^/    /'
		failures=$((failures + 1))
	else
		echo "ok: $* -> exit $rc: $(printf '%s\n' "$out" | grep -m1 -e "$pattern")"
	fi
}

# not_ok MESSAGE: print a failed check and count it in $failures.
not_ok() {
	echo "not ok: $*"
	failures=$((failures + 1))
}

# handled PID: the hvc "handled" counter of PID's VM, from kvmexit stats --json.
handled() {
	kvmexit stats --pid "$1" --json | sed -n 's/.*"hvc":{"handled":\([0-9]*\).*/\1/p'
}

# hvc_exits PID: the hypercalls PID's VM made (KVM's hvc_exit_stat), whoever answered them.
hvc_exits() {
	cat /sys/kernel/debug/kvm/$1-*/hvc_exit_stat
}

# above COUNTER PID N: is COUNTER (a function of PID) above N?
above() {
	[ "$($1 "$2")" -gt "$3" ]
}

# wait_handled_above PID N: until more than N of PID's calls were handled by a policy; a
# failure (counted) if that never happens.
wait_handled_above() {
	wait_until above handled "$1" "$2" && return
	not_ok "handled stuck at $(handled "$1") (expected above $2)"
	return 1
}

# expect_unanswered PID WHAT: PID's guest makes 100 more hypercalls and no policy answers
# one of them (WHAT says why none should).
expect_unanswered() {
	before=$(handled "$1") calls=$(hvc_exits "$1")
	if ! wait_until above hvc_exits "$1" $((calls + 100)); then
		not_ok "$2: the guest stopped calling ($(hvc_exits "$1") calls, $calls before)"
	elif [ "$(handled "$1")" -ne "$before" ]; then
		not_ok "$2: policies handled $(($(handled "$1") - before)) of 100 calls"
	else
		echo "ok: $2: 100 more calls, handled stays $before"
	fi
}

# policy_var MAP NAME: integer variable NAME of a loaded policy, from its data map MAP
# (libbpf names a .bss map after the first 8 characters of its object's name).
policy_var() {
	bpftool -j map dump name "$1" | tr ',{' '\n\n' | sed -n "s/.*\"$2\":\(-\?[0-9]*\).*/\1/p"
}

# vm_fd_of PID: the fd of PID's VM, as kvmexit lists it.
vm_fd_of() {
	kvmexit list --json | sed -n "s/.*\"pid\":$1,\"vm_fd\":\([0-9]*\).*/\1/p"
}
