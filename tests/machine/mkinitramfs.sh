#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the emulated host's initramfs (uncompressed newc cpio: nothing to inflate under TCG).
#
#   mkinitramfs.sh [--own-lib-dir DIR]... [--lib-dir DIR]... OUT.cpio CACHE_DIR KERNEL_SOURCE
#                  DEST=SRC...
#
# Contents: Debian's busybox-static:arm64 (downloaded once into CACHE_DIR), /init, each SRC
# file installed at DEST, and the arm64 shared libraries (and loader) the dynamically linked
# ones need: first from each --own-lib-dir (the libraries this build makes: libkvmexit, the
# kernel tree's libbpf, newer than any packaged copy and compatible with it), then from the
# machine's multiarch arm64 packages, then from each --lib-dir (packages unpacked without
# installing them). The archive is written with the kernel's own
# gen_init_cpio, so device nodes need no root and every file is owned by root.
set -euo pipefail

own_lib_dirs=()
extra_lib_dirs=()
while [ "${1:-}" = --own-lib-dir ]; do
	own_lib_dirs+=("$2")
	shift 2
done
while [ "${1:-}" = --lib-dir ]; do
	extra_lib_dirs+=("$2")
	shift 2
done
out=$1 cache=$2 ksrc=$3
shift 3
work=$(dirname "$out")/initramfs.d
mkdir -p "$work" "$cache/dl"

busybox_deb=$(ls "$cache"/dl/busybox-static_*_arm64.deb 2>/dev/null | tail -n 1 || true)
if [ -z "$busybox_deb" ]; then
	(cd "$cache/dl" && apt-get download -q -o APT::Sandbox::User=root busybox-static:arm64) || {
		echo "mkinitramfs: cannot download busybox-static:arm64 (is arm64 a dpkg" \
		     "architecture? run tests/machine/install-deps.sh)" >&2
		exit 1
	}
	busybox_deb=$(ls "$cache"/dl/busybox-static_*_arm64.deb | tail -n 1)
fi
if [ ! -x "$work/busybox/bin/busybox" ] || [ "$busybox_deb" -nt "$work/busybox/bin/busybox" ]; then
	rm -rf "$work/busybox"
	dpkg-deb -x "$busybox_deb" "$work/busybox"
fi

gen=$work/gen_init_cpio
if [ ! -x "$gen" ] || [ "$ksrc/usr/gen_init_cpio.c" -nt "$gen" ]; then
	cc -O2 -o "$gen" "$ksrc/usr/gen_init_cpio.c"
fi

# Shared libraries are installed where Debian's arm64 loader looks by default.
LIB_DIRS=("${own_lib_dirs[@]}" /lib/aarch64-linux-gnu /usr/lib/aarch64-linux-gnu
	  "${extra_lib_dirs[@]}")
LIB_DEST=/lib/aarch64-linux-gnu
declare -A libs=()

add_libs() {
	local elf=$1 name dir found
	for name in $(aarch64-linux-gnu-readelf -d "$elf" 2>/dev/null |
		      sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
		[ -n "${libs[$name]:-}" ] && continue
		found=
		for dir in "${LIB_DIRS[@]}"; do
			[ -e "$dir/$name" ] && found=$(readlink -f "$dir/$name") && break
		done
		[ -n "$found" ] || { echo "mkinitramfs: $name, needed by $elf, not found" >&2; exit 1; }
		libs[$name]=$found
		add_libs "$found"
	done
}

declare -A dirs=()

# A directory entry for each ancestor of $1 not listed yet (gen_init_cpio makes none).
parent_dirs() {
	local dir=${1%/*}
	[ -z "$dir" ] || [ -n "${dirs[$dir]:-}" ] && return
	parent_dirs "$dir"
	dirs[$dir]=1
	echo "dir $dir 0755 0 0"
}

list=$work/list
{
	for d in /bin /dev /etc /proc /sys /tmp /root /usr/bin; do
		parent_dirs "$d/."
	done
	echo "nod /dev/console 0600 0 0 c 5 1"
	echo "nod /dev/null 0666 0 0 c 1 3"
	echo "file /bin/busybox $work/busybox/bin/busybox 0755 0 0"
	for map in "$@"; do
		dest=${map%%=*} src=${map#*=}
		[ -f "$src" ] || { echo "mkinitramfs: $src (for $dest) not found" >&2; exit 1; }
		mode=0644
		[ -x "$src" ] && mode=0755
		parent_dirs "$dest"
		echo "file $dest $src $mode 0 0"
		add_libs "$src"
	done
	if [ ${#libs[@]} -gt 0 ]; then
		parent_dirs "$LIB_DEST/."
		for name in "${!libs[@]}"; do
			echo "file $LIB_DEST/$name ${libs[$name]} 0755 0 0"
		done
		echo "slink /lib/ld-linux-aarch64.so.1 $LIB_DEST/ld-linux-aarch64.so.1 0777 0 0"
	fi
} >"$list"
"$gen" "$list" >"$out.tmp"
mv "$out.tmp" "$out"
