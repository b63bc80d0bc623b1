#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The ctest test docs-man-completion, on the build machine: kvmexit(8), libkvmexit(3) and
# the bash completion say what the sources say, so a command, option, exit code, pin,
# function, type or errno added without its documentation turns this red. The sources are
# parsed, not copied here:
#   - both man pages render with man and groff without a warning, in 80 columns, and have
#     their sections;
#   - kvmexit.8's COMMANDS has a subsection for each command of usage_text
#     (loader/cli/args.c) and no other; TARGETS and OPTIONS describe every option of
#     usage_text and of the parser's table; EXIT STATUS has exactly usage_text's exit codes,
#     in usage_text's words; FILES names usage_text's pins (PIN_DIR from pins.h);
#   - libkvmexit.3 documents every function, type, macro and enumerator of
#     loader/lib/libkvmexit.h and every errno its comments name, and the keywords of
#     kvmexit_add_policy() (loader/cmake/kvmexitConfig.cmake.in); its example compiles;
#   - the completion (loader/cli/kvmexit.bash), in a bash without the bash-completion
#     package, completes commands, options, policies, rules, pids, cgroups, QEMU VM names
#     and policy names exactly, offers every command and option kvmexit.8 describes and
#     exactly the SMCCC names of policies/cli/smccc.c, and passes shellcheck;
#   - loader/CMakeLists.txt installs the three.
# Prints "ok: ..." per check, and ends with the failed ones and exit 1 if any failed.
# usage: docs.sh SOURCE_DIR
set -euo pipefail

src=${1:?usage: docs.sh SOURCE_DIR}
man8=$src/loader/man/kvmexit.8
man3=$src/loader/man/libkvmexit.3
completion=$src/loader/cli/kvmexit.bash
args_c=$src/loader/cli/args.c
header=$src/loader/lib/libkvmexit.h
export LC_ALL=C

failures=()
ok() { echo "ok: $*"; }
fail() {
	echo "not ok: $*"
	failures+=("$*")
}
note() { echo "note: $*"; }
# The lines of $1 as one line of words.
words() { tr '\n' ' ' <<<"$1" | sed 's/ *$//'; }
# grep, for pipelines under pipefail: no match is no failure (an error still is).
matches()
{
	local rc=0
	grep "$@" || rc=$?
	((rc < 2))
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for f in "$man8" "$man3" "$completion" "$args_c" "$header"; do
	[[ -f $f ]] || {
		echo "docs.sh: FAILED: $f is missing" >&2
		exit 1
	}
done

# The text of usage_text in args.c: its string literals joined, a macro between two of them
# (" PIN_DIR ") kept as its name.
usage_text()
{
	awk '/usage_text\[\] =/ { on = 1; next }
	     on {
		line = $0
		gsub(/\\"/, "\001", line)
		sub(/^[ \t]*"/, "", line)
		end = sub(/"[ \t]*;[ \t]*$/, "", line)
		sub(/"[ \t]*$/, "", line)
		while (match(line, /"[ \t]*[A-Z_][A-Z0-9_]*[ \t]*"/)) {
			macro = substr(line, RSTART, RLENGTH)
			gsub(/[" \t]/, "", macro)
			line = substr(line, 1, RSTART - 1) macro substr(line, RSTART + RLENGTH)
		}
		gsub(/\\n/, "\n", line)
		gsub(/\001/, "\"", line)
		printf "%s", line
		if (end)
			exit
	     }' "$args_c"
}

# The source lines of section $2 of man page $1 (after its .SH, up to the next .SH).
section()
{
	awk -v want="$2" '/^\.SH / { name = substr($0, 5); gsub(/"/, "", name); on = name == want; next }
			   on' "$1"
}

# Roff to plain text: the arguments of font macros (and of .SH, .SS) as they print, escapes
# resolved; other requests and comments dropped.
roff_text()
{
	awk '
	# The arguments of a macro call: quoted ones may hold spaces ("" is a quote in them).
	function macro_args(s, join,   out, tok, i, c, inq, started) {
		out = ""; tok = ""; inq = 0; started = 0
		for (i = 1; i <= length(s); i++) {
			c = substr(s, i, 1)
			if (inq) {
				if (c == "\"" && substr(s, i + 1, 1) == "\"") { tok = tok c; i++ }
				else if (c == "\"") inq = 0
				else tok = tok c
			} else if (c == " ") {
				if (started) { out = out (out == "" ? "" : join) tok; tok = ""; started = 0 }
			} else if (c == "\"" && !started) {
				inq = 1; started = 1
			} else {
				tok = tok c; started = 1
			}
		}
		if (started)
			out = out (out == "" ? "" : join) tok
		return out
	}
	/^\.\\"/ { next }
	/^\.(B|I|SM|SB|SH|SS)( |$)/ { sub(/^\.[A-Z]+ ?/, ""); $0 = macro_args($0, " ") }
	/^\.(BR|RB|BI|IB|IR|RI)( |$)/ { sub(/^\.[A-Z]+ ?/, ""); $0 = macro_args($0, "") }
	/^[.\047]/ { next }
	{
		gsub(/\\-/, "-"); gsub(/\\f[BIRP]/, ""); gsub(/\\%/, ""); gsub(/\\&/, "")
		gsub(/\\\(aq/, "\047"); gsub(/\\e/, "\\"); gsub(/\\ /, " ")
		print
	}'
}

# --- The man pages render, without warnings, in 80 columns, with their sections.
render()
{
	local page=$1 out warnings
	out=$tmp/$(basename "$page").txt
	if ! warnings=$(groff -ww -man -z "$page" 2>&1) || [[ -n $warnings ]]; then
		fail "groff -ww -man -z $page warns:"$'\n'"$warnings"
	else
		ok "groff -ww -man -z $page: no warning"
	fi
	if ! warnings=$(MANWIDTH=80 MANPAGER=cat PAGER=cat man --warnings -l "$page" 2>&1 \
			>"$out") || [[ -n $warnings ]]; then
		fail "man --warnings -l $page warns or fails:"$'\n'"$warnings"
	elif [[ $(grep -c . "$out") -lt 20 ]]; then
		fail "man -l $page renders almost nothing"
	elif awk 'length > 80 { print; bad = 1 } END { exit !bad }' "$out"; then
		fail "man -l $page: the lines above are wider than MANWIDTH=80"
	else
		ok "man -l $page renders ($(wc -l <"$out") lines, none wider than 80 columns)"
	fi
	shift
	local s missing=()
	for s in "$@"; do
		grep -qx "$s" "$out" || missing+=("$s")
	done
	if ((${#missing[@]})); then
		fail "$page lacks the sections: ${missing[*]}"
	else
		ok "$page has its sections: $*"
	fi
}
render "$man8" NAME SYNOPSIS DESCRIPTION COMMANDS TARGETS OPTIONS FILES ENVIRONMENT \
	"EXIT STATUS" EXAMPLES "SEE ALSO"
render "$man3" NAME SYNOPSIS DESCRIPTION "RETURN VALUE" ERRORS OWNERSHIP "WRITING A POLICY" \
	EXAMPLES "SEE ALSO"

# --- kvmexit.8 and usage_text.
usage=$(usage_text)
commands=$(printf '%s\n' "$usage" |
	   awk '/^commands:/ { on = 1; next } on && /^$/ { exit }
		on && /^  [a-z]/ { sub(/^  /, ""); sub(/[^a-z0-9-].*/, ""); print }' | sort -u)
if [[ -z $commands ]]; then
	fail "no commands found in usage_text of $args_c (its format changed? fix docs.sh)"
fi
# The commands kvmexit runs (its table in kvmexit.c and the policies' in
# policies/cli/commands.c: { "NAME", cmd_... }) are usage_text's.
runs=$(cat "$src/loader/cli/kvmexit.c" "$src/policies/cli/commands.c" |
       matches -oE '\{[[:space:]]*"[a-z][a-z0-9-]*",[[:space:]]*cmd_' |
       matches -oE '"[a-z0-9-]+"' | tr -d '"' | sort -u)
if [[ -z $runs ]]; then
	fail "no command table found in loader/cli/kvmexit.c or policies/cli/commands.c (its" \
	     "format changed? fix docs.sh)"
elif [[ $runs != "$commands" ]]; then
	fail "kvmexit runs the commands [$(words "$runs")], usage_text names" \
	     "[$(words "$commands")]"
else
	ok "kvmexit.c runs the commands usage_text names"
fi
# Each subsection of COMMANDS is named after its command's synopsis: its first word.
man_commands=$(section "$man8" COMMANDS | matches '^\.SS ' | roff_text |
	       awk '{ print $1 }' | sort -u)
undocumented=$(comm -23 <(printf '%s\n' "$commands") <(printf '%s\n' "$man_commands"))
if [[ -n $undocumented ]]; then
	fail "commands of usage_text without a subsection in kvmexit.8's COMMANDS:" \
	     "$(words "$undocumented")"
else
	ok "every command of usage_text has its subsection in kvmexit.8: $(words "$commands")"
fi
extra=$(comm -13 <(printf '%s\n' "$commands") <(printf '%s\n' "$man_commands"))
if [[ -n $extra ]]; then
	fail "kvmexit.8 documents commands usage_text does not have: $(words "$extra")"
else
	ok "kvmexit.8 documents no command usage_text does not have"
fi

# Options: those usage_text names, and those the parser takes (its struct option table).
options=$( (printf '%s\n' "$usage" | matches -oE -- '(^|[^a-z0-9-])--[a-z][a-z0-9-]*' |
	    sed 's/^[^-]//'
	    sed -n 's/^[[:space:]]*{ *"\([a-z][a-z0-9-]*\)", *[a-z_]*_argument.*/--\1/p' "$args_c"
	    printf '%s\n' "$usage" | matches -oE -- '(^| |\[)-[a-zA-Z]([] ,|]|$)' |
	    sed 's/^[ [ ]//; s/[] ,|]$//') | sort -u)
if [[ $(printf '%s\n' "$options" | grep -c .) -lt 10 ]]; then
	fail "found too few options in $args_c (its format changed? fix docs.sh):" \
	     "$(words "$options")"
fi
# An option is documented where it is a tag of TARGETS or OPTIONS (the line after .TP).
tags=$( (section "$man8" TARGETS; section "$man8" OPTIONS) |
	awk 'tag { print; tag = 0 } /^\.TP/ { tag = 1 }' | roff_text)
undocumented=()
for o in $options; do
	grep -qE -- "(^|[^a-zA-Z0-9-])$o([^a-zA-Z0-9-]|$)" <<<"$tags" || undocumented+=("$o")
done
if ((${#undocumented[@]})); then
	fail "options of usage_text or args.c not described in kvmexit.8's TARGETS or OPTIONS:" \
	     "${undocumented[@]}"
else
	ok "every option of usage_text and args.c is described in kvmexit.8: $(words "$options")"
fi

# Exit codes: "exit codes: 0 done; 1 bad command line; ..." in usage_text.
codes=$(printf '%s\n' "$usage" | awk '/^exit codes:/ { on = 1 } on' | tr '\n' ' ' |
	sed 's/^exit codes: *//; s/ *$//; s/; \([0-9][0-9]*\) /\n\1 /g')
if [[ -z $codes ]]; then
	fail "no exit codes found in usage_text (its format changed? fix docs.sh)"
fi
# kvmexit.8's EXIT STATUS: .TP, .B N, then the meaning.
man_codes=$(section "$man8" "EXIT STATUS" | sed 's/^\.B \([0-9][0-9]*\)$/@@\1/' | roff_text |
	    awk '/^@@[0-9]+$/ { if (n++) printf "\n"; printf "%s", substr($0, 3); next }
		 n { printf " %s", $0 } END { if (n) printf "\n" }')
if [[ $(cut -d' ' -f1 <<<"$codes") != "$(cut -d' ' -f1 <<<"$man_codes")" ]]; then
	fail "kvmexit.8's exit codes $(cut -d' ' -f1 <<<"$man_codes" | tr '\n' ' ')differ from" \
	     "usage_text's $(cut -d' ' -f1 <<<"$codes" | tr '\n' ' ')"
else
	wrong=()
	while read -r code meaning; do
		grep -qF -- "$code $meaning" <<<"$man_codes" || wrong+=("$code ($meaning)")
	done <<<"$codes"
	if ((${#wrong[@]})); then
		fail "kvmexit.8's EXIT STATUS does not say what usage_text says for:" "${wrong[@]}"
	else
		ok "kvmexit.8's EXIT STATUS has usage_text's codes and words:" \
		   "$(words "$(cut -d' ' -f1 <<<"$codes")")"
	fi
fi

# What kvmexit.8's FILES, ENVIRONMENT and SEE ALSO must name.
# claim PAGE SECTION TEXT...: each TEXT is in section SECTION of PAGE.
claim()
{
	local page=$1 name=$2 text c
	shift 2
	text=$(section "$page" "$name" | roff_text)
	for c in "$@"; do
		if grep -qF -- "$c" <<<"$text"; then
			ok "$(basename "$page") $name says $c"
		else
			fail "$(basename "$page") $name does not say $c"
		fi
	done
}
# The pins usage_text names (PIN_DIR/PID-FD-START-VMID/NAME, ...), PIN_DIR as pins.h defines it,
# and what is pinned beside a link (NAME-X).
pin_dir=$(sed -n 's/^#define PIN_DIR[[:space:]]*"\(.*\)"$/\1/p' "$src/loader/cli/pins.h")
pins=$(matches -oE 'PIN_DIR/[A-Za-z0-9_-]+(/NAME)?' <<<"$usage" | sort -u)
if [[ -z $pin_dir || -z $pins ]]; then
	fail "no PIN_DIR in loader/cli/pins.h, or no pins in usage_text (fix docs.sh)"
else
	mapfile -t pin_list < <(sed "s|^PIN_DIR|$pin_dir|; s|^\(.*/NAME\)\$|\1\n\1-X|" <<<"$pins")
	claim "$man8" FILES "${pin_list[@]}" /usr/lib/kvmexit/policies
fi
claim "$man8" ENVIRONMENT KVMEXIT_POLICY_PATH
claim "$man8" "SEE ALSO" 'libkvmexit(3)' 'bpftool(8)'

# --- libkvmexit.3 and libkvmexit.h.
# The header without its comments: what remains is declarations.
code=$(awk '{
	line = $0; out = ""
	while (line != "") {
		if (incomment) {
			i = index(line, "*/")
			if (!i) { line = ""; break }
			line = substr(line, i + 2); incomment = 0
		} else {
			i = index(line, "/*")
			if (!i) { out = out line; break }
			out = out substr(line, 1, i - 1); line = substr(line, i + 2); incomment = 1
		}
	}
	print out
}' "$header")
functions=$(matches -oE '\bkvmexit_[a-z0-9_]+[[:space:]]*\(' <<<"$code" | tr -d '( \t' | sort -u)
types=$(matches -oE '\b(struct|enum) kvmexit_[a-z0-9_]+' <<<"$code" | sort -u)
constants=$(matches -oE '\b(LIB)?KVMEXIT_[A-Z0-9_]+' <<<"$code" | matches -vx 'LIBKVMEXIT_H' | sort -u)
errnos=$(matches -oE -- '-E[A-Z0-9]+' "$header" | cut -c2- | sort -u)
if [[ $(grep -c . <<<"$functions") -lt 10 ]]; then
	fail "found too few functions in $header (its format changed? fix docs.sh):" \
	     "$(words "$functions")"
fi
synopsis=$(section "$man3" SYNOPSIS | roff_text)
description=$(section "$man3" DESCRIPTION | roff_text)
man3_text=$(roff_text <"$man3")
undocumented=()
for f in $functions; do
	grep -qE "(^|[^a-z0-9_])$f\(" <<<"$synopsis" &&
		grep -qE "(^|[^a-z0-9_])$f\(\)" <<<"$description" || undocumented+=("$f")
done
if ((${#undocumented[@]})); then
	fail "functions of libkvmexit.h not in both SYNOPSIS and DESCRIPTION of libkvmexit.3:" \
	     "${undocumented[@]}"
else
	ok "every function of libkvmexit.h is in libkvmexit.3's SYNOPSIS and DESCRIPTION:" \
	   "$(words "$functions")"
fi
undocumented=()
while read -r t; do
	[[ -z $t ]] || grep -qE "(^|[^A-Za-z0-9_])$t([^A-Za-z0-9_]|$)" <<<"$man3_text" ||
		undocumented+=("$t")
done <<<"$types"$'\n'"$constants"
if ((${#undocumented[@]})); then
	fail "types and constants of libkvmexit.h not in libkvmexit.3:" "${undocumented[@]}"
else
	ok "every type, macro and enumerator of libkvmexit.h is in libkvmexit.3" \
	   "($(grep -c . <<<"$types"$'\n'"$constants") names)"
fi
man3_errors=$(section "$man3" ERRORS | roff_text)
undocumented=()
for e in $errnos; do
	grep -qE "(^|[^A-Z0-9])$e([^A-Z0-9]|$)" <<<"$man3_errors" || undocumented+=("$e")
done
if ((${#undocumented[@]})); then
	fail "errnos of libkvmexit.h's comments not in libkvmexit.3's ERRORS:" "${undocumented[@]}"
else
	ok "every errno libkvmexit.h names is in libkvmexit.3's ERRORS: $(words "$errnos")"
fi
claim "$man3" SYNOPSIS '#include <libkvmexit.h>' 'pkg-config --libs libkvmexit' \
	'find_package(kvmexit' 'kvmexit::kvmexit'
claim "$man3" "WRITING A POLICY" 'kvmexit_add_policy(NAME SOURCE [VMLINUX_H path]' \
	'<kvmexit/kvmexit.h>' 'bpftool btf dump file /sys/kernel/btf/vmlinux format c' \
	'clang -target bpf -D__TARGET_ARCH_arm64 -g -O2' 'find_package(kvmexit'
claim "$man3" "SEE ALSO" 'kvmexit(8)' 'libbpf'
# kvmexit_add_policy()'s keywords, as the CMake package parses them, are documented.
config=$src/loader/cmake/kvmexitConfig.cmake.in
keywords=$(awk '/^function\(kvmexit_add_policy/ { on = 1 } on && /cmake_parse_arguments/ {
			gsub(/[";]/, " "); for (i = 2; i <= NF && $i !~ /ARGN/; i++) print $i; exit }' \
	   "$config" 2>/dev/null || true)
if [[ -z $keywords ]]; then
	fail "no kvmexit_add_policy() with cmake_parse_arguments() in $config"
else
	mapfile -t keyword_list <<<"$keywords"
	claim "$man3" "WRITING A POLICY" "${keyword_list[@]}"
fi

# The example program (the .EX block of EXAMPLES) compiles against the header as written.
section "$man3" EXAMPLES | awk '/^\.EE/ { exit } on { print } /^\.EX/ { on = 1 }' |
	sed 's/\\-/-/g; s/\\(aq/'"'"'/g; s/\\e/\\/g; s/\\&//g' >"$tmp/example.c"
cc=$(command -v cc || command -v gcc || command -v clang || true)
if [[ $(grep -c . "$tmp/example.c") -lt 10 ]]; then
	fail "libkvmexit.3 has no example program in EXAMPLES (.EX/.EE)"
elif [[ -z $cc ]]; then
	fail "no C compiler (cc, gcc, clang) to compile libkvmexit.3's example"
elif errors=$("$cc" -std=gnu11 -fsyntax-only -Wall -Wextra -Werror -I "$src/loader/lib" \
	      "$tmp/example.c" 2>&1); then
	ok "libkvmexit.3's example compiles against libkvmexit.h" \
	   "($(grep -c . "$tmp/example.c") lines)"
else
	fail "libkvmexit.3's example does not compile:"$'\n'"$errors"
fi

# --- The completion, in a bash without the bash-completion package (--norc, set -u: no
# helper it would need, no unset variable), in an empty directory of its own.
mkdir -p "$tmp/cwd" "$tmp/policies1" "$tmp/policies2" "$tmp/installed" "$tmp/pins/4242-7-99-3" \
	 "$tmp/files/sub" "$tmp/cgroup/vms" "$tmp/cgroup/vmx"
touch "$tmp/policies1/hypercall_filter.bpf.o" "$tmp/policies1/pl011.bpf.o" \
      "$tmp/policies2/pl011.bpf.o" "$tmp/policies2/canonical.bpf.o" "$tmp/policies2/notes.txt" \
      "$tmp/installed/passthrough.bpf.o" \
      "$tmp/pins/4242-7-99-3/hypercall_filter" "$tmp/pins/4242-7-99-3/hypercall_filter-filter_rules" \
      "$tmp/pins/4242-7-99-3/pl011" "$tmp/pins/4242-7-99-3/pl011-console_input" \
      "$tmp/files/a.bpf.o" "$tmp/files/b.txt" "$tmp/files/rules.txt"

# COMPREPLY for the command line "$@", the last word the one completed, sorted, one a line.
complete_line()
{
	(cd "${cwd:-$tmp/cwd}" &&
	 KVMEXIT_POLICY_PATH=${policy_path-$tmp/policies1} \
	 bash --norc --noprofile -u -c '
		source "$1"
		_kvmexit_policy_dir=$2
		_kvmexit_pin_dir=$3
		shift 3
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		_kvmexit
		printf "%s\n" "${COMPREPLY[@]}"' \
		_ "$completion" "$tmp/installed" "$tmp/pins" "$@" 2>"$tmp/stderr") | sort |
		grep . || true
}

# expect "WORDS..." -- "EXPECTED..." : COMPREPLY is exactly EXPECTED (in any order).
expect()
{
	local words=() want got
	while [[ $1 != -- ]]; do
		words+=("$1")
		shift
	done
	shift
	want=$(printf '%s\n' "$@" | sort | grep . || true)
	got=$(complete_line "${words[@]}")
	if [[ -s $tmp/stderr ]]; then
		fail "completing '${words[*]}<TAB>' printed errors: $(cat "$tmp/stderr")"
	elif [[ $got != "$want" ]]; then
		fail "completing '${words[*]}<TAB>' gives [$(words "$got")], not [$*]"
	else
		ok "completing '${words[*]}<TAB>' gives [$*]"
	fi
}

mapfile -t man_commands_list <<<"$man_commands"
expect kvmexit '' -- "${man_commands_list[@]}"
for c in list attach detach params rule log; do
	grep -qx "$c" <<<"$man_commands" || fail "kvmexit.8 does not document command $c"
done
expect kvmexit --json '' -- "${man_commands_list[@]}"
expect kvmexit at -- attach
expect kvmexit attach --pid 1 hyp -- hypercall_filter
policy_path=$tmp/policies1::$tmp/policies2 expect kvmexit attach --pid 1 '' -- \
	hypercall_filter pl011 canonical passthrough
policy_path='' expect kvmexit params '' -- passthrough
cwd=$tmp/files expect kvmexit replace --host ./ -- ./a.bpf.o ./sub
expect kvmexit rule '' -- show add del load
expect kvmexit rule add --pid 1 PSCI_C -- PSCI_CPU_ON PSCI_CPU_OFF PSCI_CPU_SUSPEND \
	PSCI_CPU_FREEZE PSCI_CPU_DEFAULT_SUSPEND
expect kvmexit rule del --pid 1 PSCI_SYS -- PSCI_SYSTEM_OFF PSCI_SYSTEM_OFF2 PSCI_SYSTEM_RESET \
	PSCI_SYSTEM_RESET2 PSCI_SYSTEM_SUSPEND
expect kvmexit --pid = 1 rule add TRNG_R -- TRNG_RND32 TRNG_RND64
expect kvmexit rule add --pid 1 PSCI_CPU_ON '' -- allow deny forward
expect kvmexit rule del --pid 1 PSCI_CPU_ON '' --
cwd=$tmp/files expect kvmexit rule load --vm-name g r -- rules.txt
expect kvmexit log --pid 1 --f -- --follow
expect kvmexit list --watch = '' --
expect kvmexit attach --pid 1 x --set default_deny = '' --
expect kvmexit attach --cgroup "$tmp/cgroup/vm" -- "$tmp/cgroup/vms" "$tmp/cgroup/vmx"
expect kvmexit detach --pid 4242 '' -- hypercall_filter pl011
expect kvmexit attach --pid 4242 --vm 7 --after '' -- hypercall_filter pl011
expect kvmexit - -- -j --json -p --pretty -v --verbose --version -h --help

# --vm-name: the -name of a QEMU process (a stand-in: "qemu-system-aarch64 ... -name
# guest=NAME,..."), and the policies pinned for its VM.
vm_name=docs-sh-vm-$$
# (Its sleep goes with it when it is killed.)
# shellcheck disable=SC2016 # expanded by that bash
(exec -a qemu-system-aarch64 bash -c 'sleep 60 & trap "kill $!" TERM; wait' - \
	-name other -name "guest=$vm_name,,x,debug-threads=on") &
fake_qemu=$!
trap 'kill "$fake_qemu" 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 50); do
	grep -q "$vm_name" "/proc/$fake_qemu/cmdline" 2>/dev/null && break
	sleep 0.1
done
mkdir -p "$tmp/pins/$fake_qemu-9-1234"
touch "$tmp/pins/$fake_qemu-9-1234/pl031" "$tmp/pins/$fake_qemu-9-1234/pl031-rtc_timer"
expect kvmexit log --vm-name "docs-sh-vm-$$" -- "$vm_name,x"
expect kvmexit detach --vm-name "$vm_name,x" '' -- pl031
kill "$fake_qemu" 2>/dev/null || true

# Every pid offered for --pid is a process, and ours is among them.
pids=$(complete_line kvmexit stats --pid '')
if [[ -s $tmp/stderr ]] || grep -qv '^[0-9][0-9]*$' <<<"$pids" || ! grep -qx "$$" <<<"$pids"
then
	fail "completing 'kvmexit stats --pid <TAB>' does not give the running processes"
else
	ok "completing 'kvmexit stats --pid <TAB>' gives the $(wc -l <<<"$pids") running processes"
fi

# Every option kvmexit.8 describes is offered after some command; the SMCCC names kvmexit.8
# gives as examples are offered.
offered=$(for c in $man_commands; do complete_line kvmexit "$c" --; done | sort -u)
missing=()
for o in $(matches -oE -- '(^|[^a-zA-Z0-9-])--[a-z][a-z0-9-]*' <<<"$tags" | sed 's/^[^-]//' |
	   sort -u); do
	grep -qx -- "$o" <<<"$offered" || missing+=("$o")
done
if ((${#missing[@]})); then
	fail "options kvmexit.8 describes that the completion never offers: ${missing[*]}"
else
	ok "the completion offers every option kvmexit.8 describes"
fi
smccc=$(complete_line kvmexit rule add --pid 1 '')
missing=()
for name in $(section "$man8" COMMANDS | roff_text | matches -oE '\b(PSCI|SMCCC|TRNG)_[A-Z0-9_]+' |
	      sort -u); do
	grep -qx "$name" <<<"$smccc" || missing+=("$name")
done
if ((${#missing[@]})); then
	fail "SMCCC names of kvmexit.8 the completion does not offer: ${missing[*]}"
else
	ok "the completion offers the SMCCC names kvmexit.8 gives"
fi
# The completion offers exactly the SMCCC names of the CLI's table (policies/cli/smccc.c:
# { "NAME", { ids } } entries).
cli_names=$(cat "$src"/policies/cli/*.c | matches -oE '\{[[:space:]]*"[A-Z][A-Z0-9_]+",[[:space:]]*\{' |
	    matches -oE '[A-Z][A-Z0-9_]+' | sort -u)
if [[ -z $cli_names ]]; then
	fail "no table of SMCCC names found in policies/cli/*.c (its format changed? fix docs.sh)"
elif [[ $cli_names != "$smccc" ]]; then
	fail "the completion's SMCCC names differ from policies/cli's:" \
	     "$(diff <(echo "$smccc") <(echo "$cli_names") | grep '^[<>]' | tr '\n' ' ')"
else
	ok "the completion offers exactly the SMCCC names policies/cli knows"
fi

# The completion leans on no bash-completion helper, and registers itself.
if grep -nE '\b(_init_completion|_filedir|_get_comp_words_by_ref|__ltrim_colon_completions|_comp_[a-z_]+|_pids|_known_hosts)\b' \
	"$completion" | grep -vE '^[0-9]+:[[:space:]]*#'; then
	fail "the completion calls bash-completion's helpers (above)"
else
	ok "the completion calls no bash-completion helper"
fi
registered=$(bash --norc --noprofile -c 'source "$1" && complete -p kvmexit' _ "$completion" 2>&1 ||
	     true)
if [[ $registered == "complete -F _kvmexit kvmexit" ]]; then
	ok "the completion registers: $registered"
else
	fail "the completion registers '$registered', not 'complete -F _kvmexit kvmexit'"
fi
if command -v shellcheck >/dev/null; then
	if shellcheck -s bash "$completion" "${BASH_SOURCE[0]}"; then
		ok "shellcheck accepts kvmexit.bash and docs.sh"
	else
		fail "shellcheck finds fault with kvmexit.bash or docs.sh (above)"
	fi
else
	note "no shellcheck on this machine: kvmexit.bash and docs.sh not linted"
fi

# --- CMake installs the three files, where man and bash-completion look for them.
# shellcheck disable=SC2016 # CMake's variables, literally
for f in man/kvmexit.8 man/libkvmexit.3 cli/kvmexit.bash '${CMAKE_INSTALL_MANDIR}/man8' \
	 '${CMAKE_INSTALL_MANDIR}/man3' '${CMAKE_INSTALL_DATADIR}/bash-completion/completions'; do
	if grep -qF "$f" "$src/loader/CMakeLists.txt"; then
		ok "loader/CMakeLists.txt has $f"
	else
		fail "loader/CMakeLists.txt lacks $f: not installed"
	fi
done

if ((${#failures[@]})); then
	echo "docs.sh: FAILED: ${#failures[@]} check(s) of the man pages and the completion:" >&2
	printf '  %s\n' "${failures[@]}" >&2
	exit 1
fi
echo "docs.sh: all checks passed"
