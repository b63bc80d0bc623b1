# SPDX-License-Identifier: GPL-2.0
# Sourced by the suites that drive kvmexit against a running VMM.

# start_serve LOG: start kvmexit-testvmm serve in the background, logging to LOG, and wait
# (10 s at most) until kvmexit sees its VM with its vCPU; the VMM's pid is in $served.
start_serve() {
	kvmexit-testvmm serve >"$1" 2>&1 &
	served=$!
	wait_for_vm "$served"
}

# wait_for_vm PID [VCPUS]: until kvmexit lists a VM of PID with VCPUS vCPUs (default 1;
# 10 s at most). A VM that does not come is a failure (counted), and returns 1.
wait_for_vm() {
	i=0
	until kvmexit list --json | grep -q "\"pid\":$1,.*\"vcpus\":${2:-1},"; do
		if [ $i -ge 100 ]; then
			not_ok "no VM of process $1 with ${2:-1} vCPU(s) after 10 s"
			return 1
		fi
		sleep 0.1
		i=$((i + 1))
	done
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
