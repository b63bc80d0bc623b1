#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Several VMs with different policies at once: while one VM has policies attached,
# replaced and detached under load (policy-live), others run their own policies; each
# checks exact counts, so a policy acting on the wrong VM fails one of them.
kvmexit-testvmm policy-live &
live=$!
others=0
for round in 1 2 3 4 5; do
	kvmexit-testvmm policy-mmio policy-hvc policy-nisv || others=1
done
wait $live
live_status=$?
echo "two-vms: policy-live exit $live_status, the other VMs exit $others"
[ $live_status -eq 0 ] && [ $others -eq 0 ]
