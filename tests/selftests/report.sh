#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The selftests target's verdict: the KVM selftests' outcome on each of the three boots,
# side by side, and the pass-through policy's counters.
#
#   report.sh LIST RESULTS
#
# LIST is tests/selftests/kvm-selftests.list; RESULTS holds the run-suite.sh results
# selftests-baseline, selftests-patched and selftests-passthrough. Writes RESULTS/selftests/
# selftests.{md,csv} and passthrough-calls.csv, prints the markdown, and exits 1 unless every
# test passed on the kernel without the series, each test's outcome is the same on all three
# boots, and the policy stayed installed and saw MMIO exits and hypercalls.
set -euo pipefail

list=$1 results=$2
out=$results/selftests
runs=(baseline patched passthrough)
mkdir -p "$out"

# A test's outcome from its run-suite.sh result: kselftests exit 4 (KSFT_SKIP) to skip.
outcome() {
	local file=$1/$2.result line
	line=$(cat "$file" 2>/dev/null || echo MISSING)
	case $line in
	PASS*)			echo PASS ;;
	"FAIL exit 4 "*)	echo SKIP ;;
	"FAIL timeout"*)	echo TIMEOUT ;;
	"FAIL exit "*)		echo "FAIL($(echo "$line" | cut -d' ' -f3))" ;;
	*)			echo MISSING ;;
	esac
}

seconds() {
	sed -n 's/.* time=\([0-9.]*\)s$/\1/p' "$1/$2.result" 2>/dev/null
}

# Seconds from the host's boot to the end of its suite.
suite_end() {
	sed -n 's/.* uptime=//p' "$1/share/suite-end" 2>/dev/null
}

bad=0
problem() {
	echo "selftests: $*" >&2
	bad=1
}

for run in "${runs[@]}"; do
	[ "$(outcome "$results/selftests-$run" host-ready)" = PASS ] ||
		problem "$run: host-ready did not pass (see $results/selftests-$run/console.log)"
done
pt=$results/selftests-passthrough
for step in passthrough-register passthrough-counters; do
	[ "$(outcome "$pt" $step)" = PASS ] ||
		problem "passthrough: $step did not pass (see $pt/console.log)"
done

csv=$out/selftests.csv md=$out/selftests.md
echo "test,baseline,baseline_s,patched,patched_s,passthrough,passthrough_s,same" >"$csv"
{
	echo "| test | no series | patched | patched + passthrough | same |"
	echo "|---|---|---|---|---|"
} >"$md"
n=0 same_count=0
while read -r path _; do
	name=${path//\//-}
	row=$path cells=
	declare -A got=()
	for run in "${runs[@]}"; do
		got[$run]=$(outcome "$results/selftests-$run" "$name")
		secs=$(seconds "$results/selftests-$run" "$name")
		row+=",${got[$run]},$secs"
		cells+=" ${got[$run]} (${secs:-?} s) |"
	done
	same=yes
	[ "${got[baseline]}" = "${got[patched]}" ] && [ "${got[patched]}" = "${got[passthrough]}" ] ||
		same=no
	echo "$row,$same" >>"$csv"
	echo "| $path |$cells $same |" >>"$md"
	n=$((n + 1))
	if [ $same = yes ]; then
		same_count=$((same_count + 1))
	else
		problem "$path: ${got[baseline]} without the series, ${got[patched]} patched," \
			"${got[passthrough]} with the pass-through policy"
	fi
	[ "${got[baseline]}" = PASS ] ||
		problem "$path: ${got[baseline]} without the series (the list holds tests that pass there)"
	unset got
done < <(grep -Ev '^\s*(#|$)' "$list")

{
	echo
	echo "$same_count of $n tests with the same outcome on all three kernels."
	echo -n "Boot to end of suite (host uptime, s):"
	for run in "${runs[@]}"; do
		echo -n " $run $(suite_end "$results/selftests-$run")"
	done
	echo
	echo
	echo "| pass-through hook | calls during the selftests |"
	echo "|---|---:|"
} >>"$md"

calls=$(sed -n 's/^passthrough-calls //p' "$pt/console.log" 2>/dev/null | tail -n 1)
echo "hook,calls" >"$out/passthrough-calls.csv"
for hook in mmio nisv ldst64b sea hvc vncr; do
	count=$(echo " $calls" | sed -n "s/.* ${hook}_calls=\([0-9]*\).*/\1/p")
	echo "$hook,${count:-?}" >>"$out/passthrough-calls.csv"
	echo "| $hook | ${count:-?} |" >>"$md"
	case $hook in
	mmio|hvc)
		[ "${count:-0}" -gt 0 ] ||
			problem "passthrough: its $hook hook never ran (${count:-no count})" ;;
	esac
done

cat "$md"
echo
echo "selftests: written $md, $csv, $out/passthrough-calls.csv"
exit $bad
