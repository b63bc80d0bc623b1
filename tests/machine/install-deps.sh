#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install what building and testing kvmexit needs on a Debian 12 (bookworm) x86_64 machine:
# the arm64 cross toolchain, clang for BPF, the kernel build tools, QEMU from
# bookworm-backports, and the arm64 libraries the emulated host's userspace links (libbpf
# and bpftool are built from the kernel tree, to match it; bpftool for arm64 needs libssl),
# libFuzzer for the host-side fuzz test of the CLI (libclang-rt-19-dev), json-c for the CLI
# (both architectures: the fuzz test and the standalone build run on this machine), and
# the system's libbpf, which the standalone build of libkvmexit and kvmexit is tested
# against (no kernel tree), and dpkg-dev, whose dpkg-scanpackages indexes the fake packages
# of the kernel-source test.
# The backports suites are added with the same mirror and key as the machine's own bookworm
# source, read from either format apt takes: deb822 (/etc/apt/sources.list.d/debian.sources)
# or one-line (/etc/apt/sources.list). trixie-backports (for linux-source-7.3 only) is
# pinned low so nothing is ever installed or upgraded from it. Runs as root, or through
# sudo. Idempotent: a machine that already has everything returns in a second.
# Sourced (tests/tools/apt-sources.sh), it only defines its functions.
set -euo pipefail

HOST_PKGS=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross clang-19 llvm-19 lld-19 dwarves
	   flex bison bc libssl-dev libelf-dev cpio ccache make cmake git xz-utils
	   python3 rsync libssl-dev:arm64 gnuplot-nox libclang-rt-19-dev zlib1g-dev
	   libjson-c-dev:arm64 libjson-c-dev man-db dpkg-dev)
BACKPORTS_PKGS=(qemu-system-arm libelf-dev:arm64 zlib1g-dev:arm64 libzstd-dev:arm64 libbpf-dev)

# bookworm_source_deb822 FILE: "URI KEY" of the first stanza of FILE whose Suites has
# bookworm (KEY empty if it names none); nothing if there is none. A stanza with
# "Enabled: no" does not count.
bookworm_source_deb822() {
	awk '
		function take() { if (b && u != "" && on) { print u, k; found = 1; exit } }
		function reset() { u = ""; k = ""; b = 0; on = 1 }
		BEGIN             { reset() }
		/^[ \t]*#/        { next }
		/^[ \t]*$/        { take(); reset(); next }
		tolower($1) == "uris:"      { u = $2 }
		tolower($1) == "signed-by:" { k = $2 }
		tolower($1) == "enabled:"   { on = (tolower($2) != "no") }
		tolower($1) == "suites:"    { for (i = 2; i <= NF; i++) if ($i == "bookworm") b = 1 }
		END               { if (!found) take() }' "$1"
}

# bookworm_source_list FILE: the same from a one-line-style FILE ("deb [OPTIONS] URI SUITE
# COMPONENT..."): KEY from its signed-by= option.
bookworm_source_list() {
	awk '
		$1 != "deb" { next }
		{
			k = ""; i = 2
			if ($2 ~ /^\[/) {
				# Options run to the first word that ends with "]".
				for (; i <= NF; i++) {
					o = $i; gsub(/[][]/, "", o)
					if (o ~ /^signed-by=/) { sub(/^signed-by=/, "", o); k = o }
					if ($i ~ /\]$/) { i++; break }
				}
			}
			if ($(i + 1) == "bookworm") { print $i, k; exit }
		}' "$1"
}

# bookworm_source ETC_APT: "URI KEY" of the machine's bookworm source, from ETC_APT
# (/etc/apt): sources.list.d/*.sources first (debian.sources first among them), then
# sources.list and sources.list.d/*.list. Fails, naming what it read, if none has one.
bookworm_source() {
	local etc=$1 f found=
	for f in "$etc/sources.list.d/debian.sources" "$etc"/sources.list.d/*.sources; do
		[ -f "$f" ] && found=$(bookworm_source_deb822 "$f") && [ -n "$found" ] && break
	done
	if [ -z "$found" ]; then
		for f in "$etc/sources.list" "$etc"/sources.list.d/*.list; do
			[ -f "$f" ] && found=$(bookworm_source_list "$f") && [ -n "$found" ] && break
		done
	fi
	if [ -z "$found" ]; then
		echo "install-deps: no source of the bookworm suite in $etc/sources.list.d/*.sources" \
		     "or $etc/sources.list: this expects Debian 12" >&2
		return 1
	fi
	read -r uri key <<<"$found"
	echo "$uri ${key:-/usr/share/keyrings/debian-archive-keyring.gpg}"
}

# backports_stanza URI KEY: the deb822 source of the suites kvmexit adds.
backports_stanza() {
	cat <<EOS
Types: deb
URIs: $1
Suites: bookworm-backports trixie-backports
Components: main
Signed-By: $2
EOS
}

main() {
	local missing=() p uri key
	for p in "${HOST_PKGS[@]}" "${BACKPORTS_PKGS[@]}"; do
		dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii' ||
			missing+=("$p")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		return 0
	fi
	if [ "$(id -u)" -eq 0 ]; then
		SUDO=
	elif command -v sudo >/dev/null; then
		SUDO=sudo
	else
		echo "install-deps: these packages are missing: ${missing[*]}" >&2
		echo "install-deps: installing them needs root: run $0 as root, or install sudo" \
		     "and run it as a user who may use it (it adds apt sources and installs" \
		     "packages, nothing else)" >&2
		return 1
	fi
	echo "install-deps: installing ${missing[*]}"

	local extra=/etc/apt/sources.list.d/kvmexit-backports.sources
	if [ ! -f "$extra" ]; then
		read -r uri key < <(bookworm_source /etc/apt) || return 1
		backports_stanza "$uri" "$key" | $SUDO tee "$extra" >/dev/null
	fi
	# Below the 100 of installed packages: nothing installed is ever upgraded from
	# trixie-backports (its libc is newer), and only a download naming a version takes
	# from it.
	local pin=/etc/apt/preferences.d/kvmexit-trixie-backports
	local pin_text=$'Package: *\nPin: release n=trixie-backports\nPin-Priority: 50'
	if [ "$(cat "$pin" 2>/dev/null)" != "$pin_text" ]; then
		echo "$pin_text" | $SUDO tee "$pin" >/dev/null
	fi
	dpkg --print-foreign-architectures | grep -qx arm64 || $SUDO dpkg --add-architecture arm64
	$SUDO apt-get update -q
	$SUDO apt-get install -y -q --no-install-recommends "${HOST_PKGS[@]}"
	$SUDO apt-get install -y -q --no-install-recommends -t bookworm-backports \
		"${BACKPORTS_PKGS[@]}"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	main "$@"
fi
