#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install what building and testing kvmexit needs on a Debian 12 (bookworm) x86_64 machine:
# the arm64 cross toolchain, clang for BPF, the kernel build tools, QEMU from
# bookworm-backports, and the arm64 libraries the emulated host's userspace links (libbpf
# and bpftool are built from the kernel tree, to match it; bpftool for arm64 needs libssl),
# libFuzzer for the host-side fuzz test of the CLI (libclang-rt-19-dev), json-c for the CLI
# (both architectures: the fuzz test and the standalone build run on this machine), and
# the system's libbpf, which the standalone build of libkvmexit and kvmexit is tested
# against (no kernel tree).
# The backports suites are added with the same mirror and key as the machine's own
# /etc/apt/sources.list.d/debian.sources; trixie-backports (for linux-source-7.3 only) is
# pinned low so nothing is ever installed or upgraded from it. Idempotent: a machine that already
# has everything returns in a second.
set -euo pipefail

HOST_PKGS=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross clang-19 llvm-19 lld-19 dwarves
	   flex bison bc libssl-dev libelf-dev cpio ccache make cmake git xz-utils
	   python3 rsync libssl-dev:arm64 gnuplot-nox libclang-rt-19-dev zlib1g-dev
	   libjson-c-dev:arm64 libjson-c-dev man-db)
BACKPORTS_PKGS=(qemu-system-arm libelf-dev:arm64 zlib1g-dev:arm64 libzstd-dev:arm64 libbpf-dev)

missing=()
for p in "${HOST_PKGS[@]}" "${BACKPORTS_PKGS[@]}"; do
	dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
echo "install-deps: installing ${missing[*]}"

if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
else
	SUDO=
fi

sources=/etc/apt/sources.list.d/debian.sources
extra=/etc/apt/sources.list.d/kvmexit-backports.sources
if [ ! -f "$extra" ]; then
	[ -f "$sources" ] || { echo "install-deps: $sources not found; this expects Debian 12" >&2; exit 1; }
	# The first stanza naming the bookworm suite gives the mirror and its key.
	read -r uris signed_by < <(awk '
		/^URIs:/      { u = $2 }
		/^Signed-By:/ { k = $2 }
		/^Suites:/    { b = ($0 ~ /[[:space:]]bookworm([[:space:]]|$)/) }
		/^$/          { if (b && u != "") { print u, k; exit } u = ""; k = ""; b = 0 }
		END           { if (b && u != "") print u, k }' "$sources")
	[ -n "${uris:-}" ] || { echo "install-deps: no bookworm mirror in $sources" >&2; exit 1; }
	$SUDO tee "$extra" >/dev/null <<EOS
Types: deb
URIs: $uris
Suites: bookworm-backports trixie-backports
Components: main
Signed-By: ${signed_by:-/usr/share/keyrings/debian-archive-keyring.gpg}
EOS
fi
# Below the 100 of installed packages: nothing installed is ever upgraded from
# trixie-backports (its libc is newer), and only a download naming a version takes from it.
pin=/etc/apt/preferences.d/kvmexit-trixie-backports
pin_text=$'Package: *\nPin: release n=trixie-backports\nPin-Priority: 50'
if [ "$(cat "$pin" 2>/dev/null)" != "$pin_text" ]; then
	echo "$pin_text" | $SUDO tee "$pin" >/dev/null
fi
dpkg --print-foreign-architectures | grep -qx arm64 || $SUDO dpkg --add-architecture arm64
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${HOST_PKGS[@]}"
$SUDO apt-get install -y -q --no-install-recommends -t bookworm-backports "${BACKPORTS_PKGS[@]}"
