#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The console is not where results come from: the kernel writes to it whenever it likes,
# even in the middle of a line. This test prints a line that looks like its own failure,
# then, as a test's output may, a line without its newline, and leaves kernel messages
# flowing (/dev/kmsg) while the next tests report. It passes only if the runner takes
# results from init's share, not from the console.
echo "KVMEXIT-RESULT console-noise FAIL (printed by the test: a result read off the console)"
(
	i=0
	while [ $i -lt 300 ]; do
		echo "console-noise: kernel message $i, between other tests' lines" >/dev/kmsg
		i=$((i + 1))
		sleep 0.01
	done
) &
printf 'console-noise: a line left without its newline; the kernel goes on writing: '
