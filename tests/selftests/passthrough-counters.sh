#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# After the KVM selftests ran under policies/passthrough.bpf.o installed host-wide: is it
# still installed (never ejected), and how often did each hook run? Prints one line,
# "passthrough-calls mmio_calls=N nisv_calls=N ... vncr_calls=N", for the report.
link=/sys/fs/bpf/passthrough/passthrough
if [ ! -e "$link" ] || ! bpftool struct_ops show | grep -q 'passthrough'; then
	echo "passthrough-counters: the host-wide policy is gone ($link, bpftool struct_ops show):"
	bpftool struct_ops show
	exit 1
fi
# The map of its globals, named by libbpf after the object's first 8 characters.
dump=$(bpftool map dump name passthro.bss) || {
	echo "passthrough-counters: no map passthro.bss:"
	bpftool map show
	exit 1
}
echo "$dump"
calls=$(echo "$dump" | sed -n 's/^ *"\([a-z0-9]*_calls\)": \([0-9]*\),*$/\1=\2/p' | tr '\n' ' ')
echo "passthrough-calls $calls"
