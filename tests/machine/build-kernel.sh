#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the kvmexit host kernel: Linux 7.3 from Debian's linux-source-7.3 package (the
# newest 7.3.y the archive offers), the kernel-hooks/ series applied with git am, the config
# fragment merged over allnoconfig, Image (with BTF) built out of tree through ccache, and
# the UAPI headers installed. Also the BPF tools of the same tree, so skeletons, libbpf and
# kernel agree: bpftool for this machine (BUILD_DIR/bpf-tools/bpftool/bootstrap/bpftool)
# and for the emulated host (.../bpftool-arm64/bpftool), and an arm64 libbpf, static and
# shared, with its headers (BUILD_DIR/bpf-tools/libbpf, .../libbpf/include).
#
#   build-kernel.sh CACHE_DIR SERIES_DIR FRAGMENT BUILD_DIR [EXTRA_FRAGMENT...]
#   build-kernel.sh --source CACHE_DIR SERIES_DIR
#	(the second: only the patched source tree, its path printed last)
#
# Extra fragments are merged over FRAGMENT in order (a later value of an option wins): the
# debug kernel is kvmexit.config plus debug.config, in a BUILD_DIR of its own.
# SERIES_DIR "none" builds the pristine tree (a git worktree of its own, so the patched
# tree's build is not invalidated): the baseline the benchmark compares against.
#
# The source: the newest version of linux-source-7.3 apt knows (KVMEXIT_KERNEL_VERSION=V
# takes V instead), downloaded with apt-get download, which checks it against the archive's
# signed index, and its sha256 compared with the index's again before it is unpacked; the
# version and sha256 are in the log. A series that does not apply to it stops the build,
# saying so. Offline, the newest version downloaded before is used.
#
# Everything slow is cached under CACHE_DIR and reused: the .deb, the unpacked source (a git
# tree per version whose first commit is the pristine source), ccache. Only what a changed
# patch touches is rebuilt: switching series resets just the files the old series changed.
set -euo pipefail

KERNEL_DEB=linux-source-7.3

log() { echo "build-kernel: $*"; }

source_only=false
if [ "${1:-}" = --source ]; then
	source_only=true
	shift
fi
cache=$1 series_dir=$2
mkdir -p "$cache/dl" "$cache/src"

# newest VERSION...: the newest of the Debian versions given.
newest() {
	local v best=
	for v in "$@"; do
		if [ -z "$best" ] || dpkg --compare-versions "$v" gt "$best"; then
			best=$v
		fi
	done
	echo "$best"
}

# The version to build, and the sha256 the archive's index gives for it (empty offline:
# then the one recorded when it was downloaded).
mapfile -t offered < <(apt-cache madison "$KERNEL_DEB" 2>/dev/null | awk -F' [|] ' '{ print $2 }' |
		       sort -u)
KERNEL_DEB_VERSION=${KVMEXIT_KERNEL_VERSION:-$(newest "${offered[@]}")}
if [ -z "$KERNEL_DEB_VERSION" ]; then
	mapfile -t cached < <(ls "$cache/dl" | sed -n "s/^${KERNEL_DEB}_\(.*\)_all\.deb\.sha256\$/\1/p")
	KERNEL_DEB_VERSION=$(newest "${cached[@]}")
	[ -n "$KERNEL_DEB_VERSION" ] || {
		echo "build-kernel: apt knows no $KERNEL_DEB and none was downloaded before: run" \
		     "tests/machine/install-deps.sh (it adds trixie-backports, which has it)" >&2
		exit 1
	}
	log "apt offers no $KERNEL_DEB (offline?): using $KERNEL_DEB_VERSION, downloaded before"
fi
KERNEL_DEB_SHA256=$(apt-cache show "$KERNEL_DEB=$KERNEL_DEB_VERSION" 2>/dev/null |
		    sed -n 's/^SHA256: //p' | head -n 1 || true)
deb=$cache/dl/${KERNEL_DEB}_${KERNEL_DEB_VERSION}_all.deb
src=$cache/src/linux-$KERNEL_DEB_VERSION
patched_src=$src
[ "$series_dir" = none ] && src=$cache/src/linux-$KERNEL_DEB_VERSION-pristine
if ! $source_only; then
	fragment=$3 build=$4
	fragments=("$fragment" "${@:5}")
	mkdir -p "$build"
	exec 9>"$build/.lock"
fi
# Checkouts share the source tree: it changes under an exclusive lock and is read under a
# shared one, while each build directory is used by one build at a time.
exec 8>"$cache/src/.lock"
export CCACHE_DIR=$cache/ccache CCACHE_MAXSIZE=5G CCACHE_BASEDIR=$src

fetch_source() {
	# A .deb an earlier build-kernel.sh downloaded without recording the index's sha256:
	# check_source holds it to the index's now.
	if [ -f "$deb" ] && [ ! -f "$deb.sha256" ] && [ -n "$KERNEL_DEB_SHA256" ]; then
		echo "$KERNEL_DEB_SHA256" >"$deb.sha256"
	fi
	[ -f "$deb" ] && [ -f "$deb.sha256" ] && return
	log "downloading $KERNEL_DEB $KERNEL_DEB_VERSION"
	if ! (cd "$cache/dl" && apt-get download -q -o APT::Sandbox::User=root \
		"$KERNEL_DEB=$KERNEL_DEB_VERSION" 2>&1); then
		echo "build-kernel: $KERNEL_DEB $KERNEL_DEB_VERSION cannot be downloaded." >&2
		echo "build-kernel: the archive offers:" >&2
		apt-cache madison "$KERNEL_DEB" >&2 || true
		exit 1
	fi
	[ -n "$KERNEL_DEB_SHA256" ] || {
		echo "build-kernel: apt's index has no SHA256 for $KERNEL_DEB $KERNEL_DEB_VERSION" >&2
		exit 1
	}
	echo "$KERNEL_DEB_SHA256" >"$deb.sha256"
}

# The .deb is the one the archive's index names (apt-get download checked it already; this
# holds for a .deb from an earlier run too): its sha256 in the log.
check_source() {
	local sum want
	want=$(cat "$deb.sha256")
	[ -z "$KERNEL_DEB_SHA256" ] || [ "$KERNEL_DEB_SHA256" = "$want" ] || {
		echo "build-kernel: the archive's index now gives $KERNEL_DEB $KERNEL_DEB_VERSION" \
		     "sha256 $KERNEL_DEB_SHA256, not $want as when it was downloaded; removing it" >&2
		rm -f "$deb" "$deb.sha256"
		exit 1
	}
	sum=$(sha256sum "$deb" | cut -d' ' -f1)
	if [ "$sum" != "$want" ]; then
		echo "build-kernel: $deb has sha256 $sum, the archive's index $want; removing it" >&2
		rm -f "$deb" "$deb.sha256"
		exit 1
	fi
	log "$KERNEL_DEB $KERNEL_DEB_VERSION: sha256 $sum, as the archive's index says"
}

unpack_source() {
	if [ "$series_dir" = none ]; then
		[ -d "$src" ] && return
		log "checking out the pristine tree at $src"
		git -C "$patched_src" worktree add -q --detach "$src" kvmexit-base
		return
	fi
	[ -f "$src/.git/kvmexit-base" ] && return
	log "unpacking $deb"
	local tmp
	tmp=$(mktemp -d "$cache/src/unpack.XXXXXX")
	dpkg-deb -x "$deb" "$tmp"
	rm -rf "$src"
	mkdir -p "$src"
	tar -xf "$tmp"/usr/src/linux-source-*.tar.xz -C "$src" --strip-components=1
	rm -rf "$tmp"
	log "recording the pristine tree in git"
	git -C "$src" init -q
	git -C "$src" config core.compression 0
	git -C "$src" config gc.auto 0
	git -C "$src" add -A -f  # Debian's .gitignore ignores the whole top level
	git -C "$src" -c user.name=kvmexit -c user.email=kvmexit@localhost \
		commit -q -m "Linux $KERNEL_DEB_VERSION (Debian $KERNEL_DEB)"
	git -C "$src" tag -f kvmexit-base >/dev/null
	touch "$src/.git/kvmexit-base"
}

series_patches() {
	find "$series_dir" -maxdepth 1 -name '*.patch' | sort
}

series_hash() {
	local patches=()

	mapfile -t patches < <(series_patches)
	(echo "$KERNEL_DEB_VERSION"; cat "${patches[@]}" /dev/null) | sha256sum | cut -d' ' -f1
}

# Is the source tree there, with this series applied? (Then it needs no exclusive lock.)
tree_ready() {
	if [ "$series_dir" = none ]; then
		[ -d "$src" ]
	else
		[ -f "$src/.git/kvmexit-base" ] &&
			[ "$(cat "$src/.git/kvmexit-series" 2>/dev/null)" = "$(series_hash)" ]
	fi
}

apply_series() {
	local patches=() want have

	[ "$series_dir" = none ] && return
	mapfile -t patches < <(series_patches)
	want=$(series_hash)
	have=$(cat "$src/.git/kvmexit-series" 2>/dev/null || true)
	[ "$want" = "$have" ] && return
	log "applying ${#patches[@]} patch(es) from $series_dir"
	rm -f "$src/.git/kvmexit-series"
	git -C "$src" am --abort >/dev/null 2>&1 || true
	# reset --hard rewrites only files that differ from base, so unchanged files keep
	# their mtimes and make rebuilds only what the series touches.
	git -C "$src" reset -q --hard kvmexit-base
	git -C "$src" clean -fdq
	if [ ${#patches[@]} -gt 0 ] &&
	   ! git -C "$src" -c user.name=kvmexit -c user.email=kvmexit@localhost \
		am -q --whitespace=nowarn "${patches[@]}"; then
		git -C "$src" am --abort
		echo "build-kernel: the series $series_dir no longer applies to $KERNEL_DEB" \
		     "$KERNEL_DEB_VERSION (git am's report above names the patch). Port it to" \
		     "that version, or build one it applies to: KVMEXIT_KERNEL_VERSION=VERSION" \
		     "(apt-cache madison $KERNEL_DEB lists them)" >&2
		exit 1
	fi
	echo "$want" >"$src/.git/kvmexit-series"
}

configure() {
	local want have opt
	# The series too: a patch's Kconfig can drop an option the fragments ask for.
	want=$( (cat "${fragments[@]}"; [ "$series_dir" = none ] || series_hash) |
		sha256sum | cut -d' ' -f1)
	have=$(cat "$build/.kvmexit-fragment" 2>/dev/null || true)
	[ "$want" = "$have" ] && [ -f "$build/.config" ] && return
	log "configuring from ${fragments[*]}"
	rm -f "$build/.kvmexit-fragment"
	kmake allnoconfig >/dev/null
	"$src/scripts/kconfig/merge_config.sh" -m -O "$build" "$build/.config" "${fragments[@]}" \
		>/dev/null
	kmake olddefconfig >/dev/null
	# An option whose dependencies are unmet is dropped silently: refuse that. Each
	# option's last value among the fragments is the one that must survive.
	while read -r opt; do
		grep -qx "$opt" "$build/.config" || {
			echo "build-kernel: $opt from ${fragments[*]} did not survive olddefconfig" >&2
			exit 1
		}
	done < <(cat "${fragments[@]}" | grep -E '^CONFIG_[A-Z0-9_]+=' |
		 awk -F= '{ last[$1] = $0 } END { for (o in last) print last[o] }')
	echo "$want" >"$build/.kvmexit-fragment"
}

kmake() {
	# A parent make (CMake's build) does not hand its job slots to a custom command:
	# drop its flags and run our own -j.
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		make -C "$src" O="$build" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- \
		CC="ccache aarch64-linux-gnu-gcc" LOCALVERSION= -j"$(nproc)" "$@"
}

build_bpf_tools() {
	local out=$build/bpf-tools

	mkdir -p "$out/bpftool" "$out/bpftool-arm64" "$out/libbpf"
	if ! [ -x "$out/bpftool/bootstrap/bpftool" ] || ! [ -x "$out/bpftool-arm64/bpftool" ]; then
		log "building bpftool (host and arm64) from the same tree"
		env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -j"$(nproc)" \
			-C "$src/tools/bpf/bpftool" OUTPUT="$out/bpftool/" bootstrap
		env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -j"$(nproc)" \
			-C "$src/tools/bpf/bpftool" OUTPUT="$out/bpftool-arm64/" ARCH=arm64 \
			CROSS_COMPILE=aarch64-linux-gnu- CLANG=clang-19 LLVM_STRIP=llvm-strip-19 \
			>/dev/null
	fi
	# Shared, as the emulated host's userspace links it: libkvmexit.so and the programs
	# using both share one libbpf (one print callback, one bpf_object ABI).
	[ -f "$out/libbpf/libbpf.a" ] && [ -e "$out/libbpf/libbpf.so" ] && return
	log "building libbpf (arm64, static and shared) from the same tree"
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -j"$(nproc)" \
		-C "$src/tools/lib/bpf" OUTPUT="$out/libbpf/" ARCH=arm64 \
		CROSS_COMPILE=aarch64-linux-gnu- "$out/libbpf/libbpf.a" "$out/libbpf/libbpf.so"
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s \
		-C "$src/tools/lib/bpf" OUTPUT="$out/libbpf/" DESTDIR="$out/libbpf" \
		prefix= install_headers
}

# The exclusive lock only when the tree must change: a shared holder (another checkout's
# long build) would otherwise make every build wait for it.
flock -s 8
if ! tree_ready; then
	flock 8
	fetch_source
	check_source
	unpack_source
	apply_series
	flock -s 8
fi
log "Linux source: $KERNEL_DEB $KERNEL_DEB_VERSION, sha256 $(cat "$deb.sha256" 2>/dev/null ||
	echo "${KERNEL_DEB_SHA256:-unknown} (the index's; unpacked before it was recorded)"), in $src"
if $source_only; then
	echo "$src"
	exit 0
fi
flock 9
configure
# Kbuild's one-line-per-file steps; warnings and errors still show.
QUIET_STEPS='^(make(\[[0-9]+\])?: (Entering|Leaving) directory|\s+(DESCEND|MKDIR|CHKSHA1|LINK|HYPREL|HYPCOPY|PERLASM|CONMK|DTC|MODPOST|NM|LD)\s|ln -sf)|^\s+(CC|AR|LD|AS|GEN|HOSTCC|HOSTLD|UPD|SYNC|CHK|WRAP|BTF|BTFIDS|SORTTAB|OBJCOPY|KSYMS|MKELF|CPP|LDS|VDSO\w*|SYSHDR|SYSTBL|CALL|AWK|PAHOLE|HDRINST|INSTALL|COPY|SHIPPED|LEX|YACC)\s'
log "building Image"
start=$(date +%s)
if ! kmake Image 2>&1 | { grep -Ev "$QUIET_STEPS" || true; }; then
	echo "build-kernel: make Image failed in $build" >&2
	exit 1
fi
# The baseline and the debug kernel only boot: headers and BPF tools come from the main build.
[ "$series_dir" = none ] || [ ${#fragments[@]} -gt 1 ] && exit 0
kmake headers_install INSTALL_HDR_PATH="$build/usr" >/dev/null
build_bpf_tools
log "Image ready in $(( $(date +%s) - start ))s: $build/arch/arm64/boot/Image"
