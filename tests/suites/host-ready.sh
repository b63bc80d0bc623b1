#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Is the emulated host what the other tests assume? KVM usable in the expected mode (vhe or
# nested), and the kernel's BTF present for BPF.
mode=$1
fail=0
check() {
	if eval "$2"; then
		echo "ok: $1"
	else
		echo "not ok: $1"
		fail=1
	fi
}
check "/dev/kvm exists" "[ -c /dev/kvm ]"
check "kernel BTF at /sys/kernel/btf/vmlinux" "[ -s /sys/kernel/btf/vmlinux ]"
case $mode in
vhe)	check "KVM in VHE mode" "dmesg | grep -q 'kvm \[[0-9]*\]: VHE mode initialized successfully'" ;;
nested)	check "KVM in VHE+NV2 mode" "dmesg | grep -q 'kvm \[[0-9]*\]: VHE+NV2 mode initialized successfully'" ;;
*)	echo "usage: host-ready.sh vhe|nested"; exit 2 ;;
esac
[ $fail -eq 0 ] || dmesg | grep -i kvm
exit $fail
