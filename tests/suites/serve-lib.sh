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
# 10 s at most).
wait_for_vm() {
	i=0
	until kvmexit list --json | grep -q "\"pid\":$1,.*\"vcpus\":${2:-1}," || [ $i -ge 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}
