#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The policy example in bpf/kvmexit.h's opening comment (its tab-indented lines) compiles as
# it is written, with the flags the project's own policies are built with.
# usage: header-example.sh CLANG KVMEXIT_H OUT_DIR -I DIR...
clang=$1 header=$2 out=$3
shift 3
mkdir -p "$out" || exit 1
awk 'NR > 1 && /^ \*\// { exit } /^ \*\t/ { sub(/^ \*\t/, ""); print; next } /^ \*$/ { print "" }' \
	"$header" >"$out/example.bpf.c"
grep -q 'SEC(".struct_ops.link")' "$out/example.bpf.c" || {
	echo "not ok: no policy example found in $header"
	exit 1
}
if "$clang" -target bpf -D__TARGET_ARCH_arm64 -g -O2 -Wall -Werror -Wno-missing-declarations \
	"$@" -c "$out/example.bpf.c" -o "$out/example.bpf.o"; then
	echo "ok: the example of $header compiles ($(grep -c . "$out/example.bpf.c") lines)"
else
	echo "not ok: the example of $header does not compile:"
	cat -n "$out/example.bpf.c"
	exit 1
fi
