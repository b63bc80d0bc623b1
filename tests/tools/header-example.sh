#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The policy example in bpf/kvmexit.h's opening comment (its tab-indented lines) compiles as
# it is written, with the flags the project's own policies are built with; README's first
# C example is that one, line for line.
# usage: header-example.sh CLANG KVMEXIT_H README OUT_DIR -I DIR...
clang=$1 header=$2 readme=$3 out=$4
shift 4
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
# trimmed FILE: FILE without its leading and trailing empty lines.
trimmed() { sed '/./,$!d' "$1" | tac | sed '/./,$!d' | tac; }
awk '/^```c$/ { on = 1; next } on && /^```$/ { exit } on' "$readme" >"$out/readme.bpf.c"
trimmed "$out/example.bpf.c" >"$out/example.trimmed"
if trimmed "$out/readme.bpf.c" | cmp -s "$out/example.trimmed" -; then
	echo "ok: the first example of $readme is the example of $header"
else
	echo "not ok: the first example of $readme differs from the example of $header:"
	trimmed "$out/readme.bpf.c" | diff -u "$out/example.trimmed" -
	exit 1
fi
