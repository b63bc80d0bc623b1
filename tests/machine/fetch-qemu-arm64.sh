#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Fetch Debian's arm64 QEMU (qemu-system-arm:arm64 from bookworm-backports) and the arm64
# libraries it links, for a real VMM inside the emulated host. Nothing is installed: the
# .debs are downloaded once with the machine's own apt sources (set up by install-deps.sh)
# into CACHE_DIR/dl/qemu-arm64 and unpacked with dpkg-deb -x.
#
#   fetch-qemu-arm64.sh CACHE_DIR
#
# Prints the unpacked root (CACHE_DIR/qemu-arm64): usr/bin/qemu-system-aarch64 and
# lib/aarch64-linux-gnu, usr/lib/aarch64-linux-gnu for mkinitramfs.sh --lib-dir.
set -euo pipefail

cache=$1
dl=$cache/dl/qemu-arm64
root=$cache/qemu-arm64
stamp=$root/.complete

# Build trees of several checkouts share the cache: one fetch at a time, the others wait.
mkdir -p "$dl"
exec 8>"$dl/.lock"
flock 8
if [ -f "$stamp" ]; then
	echo "$root"
	exit 0
fi
rm -rf "$root"

# Every arm64 library in the recursive dependencies of the QEMU package, whose candidate
# comes from a bookworm suite (other names are alternatives that belong to trixie).
mapfile -t pkgs < <(apt-cache -t bookworm-backports depends --recurse --no-recommends \
		--no-suggests --no-conflicts --no-breaks --no-replaces --no-enhances \
		qemu-system-arm:arm64 2>/dev/null |
	grep -E '^(lib[^ ]*|qemu-system-(arm|common)):arm64$' | sort -u)
[ ${#pkgs[@]} -gt 0 ] || {
	echo "fetch-qemu-arm64: apt knows no qemu-system-arm:arm64 (run tests/machine/install-deps.sh)" >&2
	exit 1
}
mapfile -t available < <(apt-cache -t bookworm-backports policy "${pkgs[@]}" 2>/dev/null | awk '
	/^[^ ]/                 { pkg = $1; sub(/:$/, "", pkg); cand = ""; take = 0; next }
	/^  Candidate:/         { cand = $2; next }
	/^ +(\*\*\* )?[^ ]+ [0-9]+$/ { v = $1 == "***" ? $2 : $1; take = (v == cand); next }
	take && / bookworm(-[a-z]+)?\/main / { print pkg; take = 0 }' | sort -u)
echo "fetch-qemu-arm64: downloading ${#available[@]} packages into $dl" >&2
(cd "$dl" && apt-get download -q -o APT::Sandbox::User=root -t bookworm-backports \
	"${available[@]}") >&2 || {
	echo "fetch-qemu-arm64: apt-get download failed" >&2
	exit 1
}
mkdir -p "$root"
for deb in "$dl"/*.deb; do
	dpkg-deb -x "$deb" "$root"
done
[ -x "$root/usr/bin/qemu-system-aarch64" ] || {
	echo "fetch-qemu-arm64: no usr/bin/qemu-system-aarch64 in the unpacked packages" >&2
	exit 1
}
touch "$stamp"
echo "$root"
