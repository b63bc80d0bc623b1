#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The ctest test kernel-source, on the build machine: build-kernel.sh --source against a
# local apt repository of fake linux-source-7.3 packages (a Makefile each, in the package's
# layout), with apt pointed at it alone (APT_CONFIG; the machine's apt is not touched).
# Checks: the newest 7.3.y is taken (7.3.10 over 7.3.9, Debian's version order), its
# version and the index's sha256 are in the log and the series is applied; the same
# version again reuses the tree (nothing downloaded or unpacked); KVMEXIT_KERNEL_VERSION
# picks an older one; a .deb that is not the one the index names is refused; a series that
# does not apply stops with a message saying so; offline, the newest downloaded before is
# used.
# usage: kernel-source.sh SOURCE_DIR
set -euo pipefail

src=${1:?usage: kernel-source.sh SOURCE_DIR}
build_kernel=$src/tests/machine/build-kernel.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
ok() { echo "ok: $*"; }
not_ok() {
	echo "not ok: $*"
	failures=$((failures + 1))
}

# fake_deb VERSION SUBLEVEL: a linux-source-7.3 package of VERSION in the repository,
# whose source is a Makefile of Linux 7.3.SUBLEVEL.
fake_deb() {
	local root=$tmp/pkg-$1 tree=$tmp/tree-$1/linux-source-7.3
	mkdir -p "$root/DEBIAN" "$root/usr/src" "$tree"
	printf 'VERSION = 7\nPATCHLEVEL = 3\nSUBLEVEL = %s\nEXTRAVERSION =\n\n\n\nNAME = Baby Opossum Posse\n' "$2" \
		>"$tree/Makefile"
	tar -cJf "$root/usr/src/linux-source-7.3.tar.xz" -C "$tmp/tree-$1" linux-source-7.3
	printf 'Package: linux-source-7.3\nVersion: %s\nArchitecture: all\nMaintainer: kvmexit <kvmexit@localhost>\nDescription: Linux kernel source (a test fake)\n' \
		"$1" >"$root/DEBIAN/control"
	dpkg-deb --build --root-owner-group "$root" "$tmp/repo/linux-source-7.3_$1_all.deb" >/dev/null
}

# index: the repository's Packages, and apt's lists from it.
index() {
	(cd "$tmp/repo" && dpkg-scanpackages -m . /dev/null 2>/dev/null >Packages)
	apt-get update -q >/dev/null 2>&1 || { echo "apt-get update failed"; exit 1; }
}

mkdir -p "$tmp/repo" "$tmp/apt/lists/partial" "$tmp/apt/cache/archives/partial" \
	"$tmp/apt/parts" "$tmp/apt/prefs"
touch "$tmp/apt/status"
echo "deb [trusted=yes] file:$tmp/repo ./" >"$tmp/apt/sources.list"
cat >"$tmp/apt/apt.conf" <<EOC
Dir::Etc::SourceList "$tmp/apt/sources.list";
Dir::Etc::SourceParts "$tmp/apt/parts";
Dir::Etc::Preferences "$tmp/apt/preferences";
Dir::Etc::PreferencesParts "$tmp/apt/prefs";
Dir::State::Lists "$tmp/apt/lists";
Dir::State::status "$tmp/apt/status";
Dir::Cache "$tmp/apt/cache";
APT::Architecture "amd64";
APT::Architectures { "amd64"; };
Debug::NoLocking "true";
EOC
export APT_CONFIG=$tmp/apt/apt.conf
fake_deb 7.3.4-1~bpo13+1 4
fake_deb 7.3.9-2~bpo13+1 9
fake_deb 7.3.10-1~bpo13+1 10
index

# The series: one patch against the Makefile, as kernel-hooks/ has many.
mkdir -p "$tmp/series" "$tmp/work"
git -C "$tmp/work" init -q
cp "$tmp/tree-7.3.10-1~bpo13+1/linux-source-7.3/Makefile" "$tmp/work/"
git -C "$tmp/work" add Makefile
git -C "$tmp/work" -c user.name=t -c user.email=t@localhost commit -q -m base
sed -i 's/^NAME = .*/NAME = kvmexit/' "$tmp/work/Makefile"
git -C "$tmp/work" -c user.name=t -c user.email=t@localhost commit -q -a -m "Name it"
git -C "$tmp/work" format-patch -q -1 -o "$tmp/series"

# run NAME [ENV...]: build-kernel.sh --source into cache NAME; output in $tmp/NAME.log.
run() {
	local name=$1 rc=0
	shift
	env "$@" "$build_kernel" --source "$tmp/$name" "$tmp/series" >"$tmp/$name.log" 2>&1 || rc=$?
	return $rc
}

sha() { sha256sum "$tmp/repo/linux-source-7.3_$1_all.deb" | cut -d' ' -f1; }

newest=7.3.10-1~bpo13+1
if run cache; then
	tree=$(tail -n1 "$tmp/cache.log")
	grep -qx "build-kernel: linux-source-7.3 $newest: sha256 $(sha $newest), as the archive's index says" \
		"$tmp/cache.log" && ok "the newest 7.3.y, $newest, its sha256 checked in the log" ||
		not_ok "the newest version and its sha256 not in the log: $(cat "$tmp/cache.log")"
	grep -qx "build-kernel: Linux source: linux-source-7.3 $newest, sha256 $(sha $newest), in $tmp/cache/src/linux-$newest" \
		"$tmp/cache.log" && ok "the build log names the version" ||
		not_ok "no 'Linux source' line naming $newest: $(cat "$tmp/cache.log")"
	[ "$tree" = "$tmp/cache/src/linux-$newest" ] &&
		grep -qx 'SUBLEVEL = 10' "$tree/Makefile" && grep -qx 'NAME = kvmexit' "$tree/Makefile" &&
		ok "the series applied to 7.3.10's tree, $tree" ||
		not_ok "the tree '$tree': $(cat "$tree/Makefile" 2>&1)"
else
	not_ok "build-kernel.sh --source failed: $(cat "$tmp/cache.log")"
fi

# The same version again: the cached tree, nothing downloaded or unpacked.
if run cache && ! grep -q 'downloading\|unpacking\|applying' "$tmp/cache.log" &&
   grep -q "^build-kernel: Linux source: linux-source-7.3 $newest," "$tmp/cache.log"; then
	ok "the same version again reuses its tree"
else
	not_ok "the second run: $(cat "$tmp/cache.log")"
fi

# An older version by name.
old=7.3.4-1~bpo13+1
run cache KVMEXIT_KERNEL_VERSION=$old &&
	grep -qx 'SUBLEVEL = 4' "$tmp/cache/src/linux-$old/Makefile" &&
	ok "KVMEXIT_KERNEL_VERSION=$old builds that one" ||
	not_ok "KVMEXIT_KERNEL_VERSION=$old: $(cat "$tmp/cache.log")"

# Offline (apt knows no linux-source-7.3): the newest version downloaded before.
: >"$tmp/apt/sources.list"
apt-get update -q >/dev/null 2>&1
run cache && grep -qx "build-kernel: apt offers no linux-source-7.3 (offline?): using $newest, downloaded before" \
	"$tmp/cache.log" && [ "$(tail -n1 "$tmp/cache.log")" = "$tmp/cache/src/linux-$newest" ] &&
	ok "offline, the newest downloaded before: $newest" ||
	not_ok "offline: $(cat "$tmp/cache.log")"
echo "deb [trusted=yes] file:$tmp/repo ./" >"$tmp/apt/sources.list"
index

# A .deb that is not the one the index names (the index made before it changed).
cp "$tmp/repo/linux-source-7.3_$newest""_all.deb" "$tmp/good.deb"
echo tampered >>"$tmp/repo/linux-source-7.3_$newest""_all.deb"
if run tampered; then
	not_ok "a .deb other than the index's was taken: $(cat "$tmp/tampered.log")"
elif grep -q "cannot be downloaded" "$tmp/tampered.log" && [ ! -d "$tmp/tampered/src/linux-$newest" ]; then
	ok "a .deb other than the index's is refused: $(grep -m1 -i 'mismatch\|size' "$tmp/tampered.log")"
else
	not_ok "the tampered .deb: $(cat "$tmp/tampered.log")"
fi
cp "$tmp/good.deb" "$tmp/repo/linux-source-7.3_$newest""_all.deb"

# A newer version the series no longer applies to.
fake_deb 7.3.11-1~bpo13+1 11
sed -i 's/^NAME = .*/NAME = Something Else/' "$tmp/tree-7.3.11-1~bpo13+1/linux-source-7.3/Makefile"
tar -cJf "$tmp/pkg-7.3.11-1~bpo13+1/usr/src/linux-source-7.3.tar.xz" \
	-C "$tmp/tree-7.3.11-1~bpo13+1" linux-source-7.3
dpkg-deb --build --root-owner-group "$tmp/pkg-7.3.11-1~bpo13+1" \
	"$tmp/repo/linux-source-7.3_7.3.11-1~bpo13+1_all.deb" >/dev/null
index
if run cache; then
	not_ok "a series that does not apply was taken: $(cat "$tmp/cache.log")"
elif grep -q "build-kernel: the series $tmp/series no longer applies to linux-source-7.3 7.3.11-1~bpo13+1 (git am's report above names the patch)" \
	"$tmp/cache.log" && grep -q "Patch failed at 0001 Name it" "$tmp/cache.log"; then
	ok "a series that no longer applies stops: $(grep 'no longer applies' "$tmp/cache.log")"
else
	not_ok "the series that does not apply: $(cat "$tmp/cache.log")"
fi

echo "kernel-source: $failures failures"
[ "$failures" -eq 0 ]
