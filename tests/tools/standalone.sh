#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# libkvmexit and kvmexit as another project gets them, on this (x86_64) machine: built
# alone (cmake -S loader) against the system's libbpf and json-c, with no kernel tree, and
# installed into a scratch prefix. Then, against that install only:
# - the shared library's soname and exported symbols are what libkvmexit.h declares, each
#   versioned by the node of libkvmexit.map that added it (the newest: this version), and
#   nothing else;
# - a program linked with `pkg-config --libs libkvmexit` (shared), another with the static
#   library and `pkg-config --static --libs`, and one built by CMake with
#   find_package(kvmexit) all run and agree;
# - a policy built outside the tree with the installed kvmexit_add_policy() (the example of
#   bpf/kvmexit.h) opens, and its parameters are read from its BTF;
# - the CLI tells a kernel without the series apart (this machine's), in text and JSON.
# usage: standalone.sh SOURCE_DIR WORK_DIR VMLINUX_H CLANG
set -euo pipefail

src=$1 work=$2 vmlinux_h=$3 clang=$4
prefix=$work/prefix
failures=0
ok() { echo "ok: $*"; }
not_ok() { echo "not ok: $*"; failures=$((failures + 1)); }
# expect WHAT WANT GOT: exact equality.
expect() {
	if [ "$2" = "$3" ]; then ok "$1: $3"; else not_ok "$1: got '$3', expected '$2'"; fi
}

rm -rf "$work"
mkdir -p "$work"
version=$(sed -n 's/^#define LIBKVMEXIT_\(MAJOR\|MINOR\)_VERSION\t*\([0-9]*\)$/\2/p' \
	  "$src/loader/lib/libkvmexit.h" | paste -sd.)
# A native build: this script's environment is the build machine's, not the cross one.
env -u CC -u CFLAGS cmake -S "$src/loader" -B "$work/build" -DCMAKE_INSTALL_PREFIX="$prefix" \
	-DCMAKE_BUILD_TYPE=Release >"$work/configure.log" 2>&1 ||
	{ cat "$work/configure.log"; not_ok "configure the standalone build"; exit 1; }
cmake --build "$work/build" -j"$(nproc)" >"$work/build.log" 2>&1 ||
	{ cat "$work/build.log"; not_ok "build without a kernel tree"; exit 1; }
cmake --install "$work/build" >"$work/install.log" 2>&1 ||
	{ cat "$work/install.log"; not_ok "install"; exit 1; }
ok "libkvmexit $version and kvmexit built against the system's libbpf $(pkg-config --modversion libbpf), no kernel tree"
grep -q "HAVE_ASSOC_STRUCT_OPS:INTERNAL=1" "$work/build/CMakeCache.txt" &&
	echo "   (this libbpf associates syscall programs)" ||
	echo "   (this libbpf cannot associate syscall programs: policies with them get EOPNOTSUPP)"

libdir=$(dirname "$(find "$prefix" -name 'libkvmexit.so' | head -n 1)")
export PKG_CONFIG_PATH=$libdir/pkgconfig LD_LIBRARY_PATH=$libdir
expect "soname" "libkvmexit.so.${version%%.*}" \
	"$(readelf -d "$libdir/libkvmexit.so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')"
map=$src/loader/lib/libkvmexit.map
# Each function the header declares, with the version node of the map that lists it.
declared=$(sed -n 's/^[a-z].*[ *]\(kvmexit_[a-z_0-9]*\)(.*/\1/p' "$src/loader/lib/libkvmexit.h" |
	   sort | tr '\n' ' ')
# Each symbol with the version node of libkvmexit.map that added it.
versioned=$(awk '/^LIBKVMEXIT_[0-9.]* {/ { node = $1 }
		 /^\t\tkvmexit_[a-z_0-9]*;$/ { sub(/;/, "", $1); print $1 "@@" node }' \
	    "$src/loader/lib/libkvmexit.map" | sort | tr '\n' ' ')
expect "the version script's symbols" "$declared" \
	"$(echo "$versioned" | tr ' ' '\n' | sed -n 's/@@.*//p' | sort | tr '\n' ' ')"
expect "the version script's newest node" "LIBKVMEXIT_$version" \
	"$(sed -n 's/^\(LIBKVMEXIT_[0-9.]*\) {.*/\1/p' "$src/loader/lib/libkvmexit.map" | tail -n 1)"
exported=$(nm -D --defined-only "$libdir/libkvmexit.so" | awk '$2 == "T" { print $3 }' |
	   sort | tr '\n' ' ')
expect "exported symbols" "$versioned" "$exported"

# The header's example, built as another project builds its policies.
example_dir=$work/policy
mkdir -p "$example_dir"
awk 'NR > 1 && /^ \*\// { exit } /^ \*\t/ { sub(/^ \*\t/, ""); print; next } /^ \*$/ { print "" }' \
	"$src/bpf/kvmexit.h" >"$example_dir/deny_trng.bpf.c"
cat >"$example_dir/consumer.c" <<'EOF'
/* A VMM's use of libkvmexit, as far as a kernel without the series lets it go. */
#include <stdio.h>
#include <string.h>
#include <libkvmexit.h>

static int print_param(const char *name, const char *type, const char *value, void *arg)
{
	printf("param %s %s %s\n", name, type, value);
	return 0;
}

int main(int argc, char **argv)
{
	struct kvmexit_policy *policy;
	int err;

	printf("version %s header %d.%d\n", kvmexit_version(), LIBKVMEXIT_MAJOR_VERSION,
	       LIBKVMEXIT_MINOR_VERSION);
	printf("kernel %s\n", strerror(-kvmexit_kernel_supported()));
	err = kvmexit_policy_open(argv[1], &policy);
	if (err) {
		printf("open %s: %s\n", argv[1], strerror(-err));
		return 1;
	}
	printf("policy %s\n", kvmexit_policy_name(policy));
	kvmexit_policy_set(policy, "rate", "7");
	kvmexit_policy_params(policy, print_param, NULL);
	kvmexit_policy_close(policy);
	return argc != 2;
}
EOF
# A parameter, so that params has something to list.
sed -i 's/^#include "kvmexit.h"$/#include "kvmexit.h"\n\nconst volatile __u32 rate = 1;/' \
	"$example_dir/deny_trng.bpf.c"
cat >"$example_dir/CMakeLists.txt" <<EOF
cmake_minimum_required(VERSION 3.21)
project(vmm-using-kvmexit LANGUAGES C)
find_package(kvmexit $version REQUIRED)
add_executable(consumer consumer.c)
target_link_libraries(consumer PRIVATE kvmexit::kvmexit)
kvmexit_add_policy(deny_trng deny_trng.bpf.c VMLINUX_H "$vmlinux_h")
kvmexit_add_policy(man_example man_example.bpf.c VMLINUX_H "$vmlinux_h")
EOF
# The policy libkvmexit(3) shows under WRITING A POLICY (<kvmexit/kvmexit.h>), as printed.
sed -n '/^\/\* deny_trng.bpf.c \*\/$/,/^\.EE$/p' "$src/loader/man/libkvmexit.3" |
	sed '$d; s/\\-/-/g; s/\\e/\\/g' >"$example_dir/man_example.bpf.c"
grep -q 'SEC(".struct_ops.link")' "$example_dir/man_example.bpf.c" ||
	not_ok "no policy example found in libkvmexit.3"
if env -u CC cmake -S "$example_dir" -B "$example_dir/build" -DCMAKE_PREFIX_PATH="$prefix" \
	-DKVMEXIT_BPF_CLANG="$clang" >"$work/example.log" 2>&1 &&
   cmake --build "$example_dir/build" >>"$work/example.log" 2>&1; then
	ok "find_package(kvmexit $version): a program and a policy (kvmexit_add_policy) built outside the tree"
else
	cat "$work/example.log"
	not_ok "the project using find_package(kvmexit)"
	exit 1
fi
policy=$example_dir/build/deny_trng.bpf.o

if [ -r /sys/kernel/btf/vmlinux ]; then kernel="Operation not supported"; else kernel="No such file or directory"; fi
want="version $version header $version
kernel $kernel
policy policy
param rate u32 7"
expect "find_package build" "$want" "$("$example_dir/build/consumer" "$policy" 2>&1)"
expect "libkvmexit(3)'s policy, built with kvmexit_add_policy()" "version $version header $version
kernel $kernel
policy deny_trng_policy" "$("$example_dir/build/consumer" "$example_dir/build/man_example.bpf.o" 2>&1)"
# shellcheck disable=SC2046 # pkg-config's flags are words
gcc -Wall -Werror -o "$work/consumer-shared" "$example_dir/consumer.c" \
	$(pkg-config --cflags --libs libkvmexit)
expect "pkg-config --libs (shared)" "$want" "$("$work/consumer-shared" "$policy" 2>&1)"
# shellcheck disable=SC2046
gcc -Wall -Werror -o "$work/consumer-static" "$example_dir/consumer.c" \
	$(pkg-config --cflags libkvmexit) "$libdir/libkvmexit.a" \
	$(pkg-config --static --libs libkvmexit | sed 's/-lkvmexit//')
if ldd "$work/consumer-static" | grep -q libkvmexit; then
	not_ok "the static build links libkvmexit.so"
else
	expect "pkg-config --static --libs (libkvmexit.a)" "$want" \
		"$("$work/consumer-static" "$policy" 2>&1)"
fi
bpf_include=$(pkg-config --variable=bpf_includedir libkvmexit)
[ -f "$bpf_include/kvmexit.h" ] && ok "pkg-config bpf_includedir has kvmexit.h" ||
	not_ok "no kvmexit.h in pkg-config's bpf_includedir ($bpf_include)"
expect "pkg-config policydir" "$prefix/lib/kvmexit/policies" \
	"$(pkg-config --variable=policydir libkvmexit)"

# What an operator gets with the CLI: its man pages (naming where this install looks for
# policies), libkvmexit's, and the bash completion.
for page in man8/kvmexit.8 man3/libkvmexit.3; do
	if MANWIDTH=80 man -l "$prefix/share/man/$page" 2>&1 | grep -q "^NAME"; then
		ok "installed man page $page renders"
	else
		not_ok "installed man page $page does not render"
	fi
done
grep -q "$prefix/lib/kvmexit/policies" "$prefix/share/man/man8/kvmexit.8" &&
	ok "kvmexit.8 names this install's policy directory" ||
	not_ok "kvmexit.8 does not name $prefix/lib/kvmexit/policies"
[ -f "$prefix/share/bash-completion/completions/kvmexit" ] && ok "bash completion installed" ||
	not_ok "no bash completion installed"

# The CLI, installed, on a kernel without the series: it finds its library (its rpath).
cli() { env -u LD_LIBRARY_PATH "$prefix/bin/kvmexit" "$@"; }
expect "kvmexit --version" "kvmexit $version (libkvmexit $version)" "$(cli --version)"
expect "kvmexit params by name" "NAME                     TYPE       DEFAULT
rate                     u32        1" "$(KVMEXIT_POLICY_PATH=$example_dir/build cli params deny_trng)"
expect "kvmexit -p params" '[
  {
    "name": "rate",
    "type": "u32",
    "default": "1"
  }
]' "$(KVMEXIT_POLICY_PATH=/nonexistent:$example_dir/build cli -p params deny_trng)"
set +e
out=$(KVMEXIT_POLICY_PATH=$example_dir/build cli attach --host deny_trng 2>&1)
code=$?
json=$(KVMEXIT_POLICY_PATH=$example_dir/build cli --json attach --host deny_trng 2>&1)
missing=$(cli params nosuch 2>&1)
set -e
if [ "$kernel" = "Operation not supported" ]; then
	expect "attach on this kernel" "6 kvmexit: this kernel has no kvm_arm_exit_ops: boot a kvmexit kernel (CONFIG_KVM_ARM_EXIT_BPF=y)" \
		"$code $out"
	expect "attach on this kernel, JSON" '{"error":"this kernel has no kvm_arm_exit_ops: boot a kvmexit kernel (CONFIG_KVM_ARM_EXIT_BPF=y)","exit_code":6}' \
		"$json"
fi
expect "an unknown policy name" "kvmexit: no policy nosuch: no nosuch.bpf.o in $prefix/lib/kvmexit/policies (a path works too)" \
	"$missing"

# JSON is UTF-8 whatever the bytes it reports: a path that is not comes out with U+FFFD.
bad_path=$(printf '/nonexistent-\377.bpf.o')
set +e
json=$(cli --json params "$bad_path" 2>&1)
set -e
expect "an error about a path that is not UTF-8, as JSON" \
	"cannot open /nonexistent-$(printf '\357\277\275').bpf.o: No such file or directory" \
	"$(python3 -c 'import json, sys; print(json.loads(sys.stdin.buffer.read().decode("utf-8"))["error"])' <<<"$json" 2>&1)"

if [ "$failures" -ne 0 ]; then
	echo "standalone: $failures failures"
	exit 1
fi
echo "standalone: every check passed"
