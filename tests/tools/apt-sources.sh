#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The ctest test apt-sources, on the build machine: install-deps.sh finds the machine's
# bookworm mirror and key in either format apt reads (deb822 .sources, one-line
# sources.list), in /etc/apt trees made here in a temporary directory (the machine's apt
# is not touched), and says so when there is none.
# usage: apt-sources.sh SOURCE_DIR
set -euo pipefail

src=${1:?usage: apt-sources.sh SOURCE_DIR}
# shellcheck source=../machine/install-deps.sh
. "$src/tests/machine/install-deps.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
DEFAULT_KEY=/usr/share/keyrings/debian-archive-keyring.gpg

# check NAME EXPECTED: bookworm_source on $tmp/NAME prints EXPECTED ("FAIL" for a failure).
check() {
	local got rc=0
	got=$(bookworm_source "$tmp/$1" 2>"$tmp/$1.err") || rc=$?
	[ $rc -ne 0 ] && got=FAIL
	if [ "$got" = "$2" ]; then
		echo "ok: $1: $got"
	else
		echo "not ok: $1: got '$got', expected '$2' ($(cat "$tmp/$1.err"))"
		failures=$((failures + 1))
	fi
}

# etc NAME FILE TEXT: a file of the /etc/apt tree NAME.
etc() {
	mkdir -p "$(dirname "$tmp/$1/$2")"
	printf '%s\n' "$3" >"$tmp/$1/$2"
}

# Debian 12's own deb822 file: the security stanza comes second and is not bookworm.
etc deb822 sources.list.d/debian.sources 'Types: deb
# a snapshot of the archive
URIs: http://mirror.example/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://mirror.example/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg'
check deb822 "http://mirror.example/debian $DEFAULT_KEY"

# bookworm-updates alone is not bookworm; a disabled stanza does not count; no Signed-By.
etc deb822-order sources.list.d/debian.sources 'Types: deb
URIs: http://updates.example/debian
Suites: bookworm-updates
Components: main

Types: deb
URIs: http://disabled.example/debian
Suites: bookworm
Enabled: no
Components: main

Types: deb deb-src
URIs: https://second.example/debian
Suites: bookworm
Components: main contrib'
check deb822-order "https://second.example/debian $DEFAULT_KEY"

# Another .sources file name, and a key of its own.
etc deb822-other sources.list.d/mirror.sources 'Types: deb
URIs: http://other.example/debian
Suites: bookworm
Components: main
Signed-By: /etc/apt/keyrings/mirror.gpg'
check deb822-other "http://other.example/debian /etc/apt/keyrings/mirror.gpg"

# The one-line format, as Debian 12 installers before deb822 wrote it.
etc classic sources.list '# deb cdrom:[Debian GNU/Linux 12]/ bookworm main
deb-src http://src.example/debian bookworm main
deb http://security.example/debian-security bookworm-security main
deb http://classic.example/debian bookworm main non-free-firmware
deb http://classic.example/debian bookworm-updates main'
check classic "http://classic.example/debian $DEFAULT_KEY"

# Options before the URI, signed-by among them, in one bracket or spread over words.
etc classic-options sources.list 'deb [arch=amd64 signed-by=/etc/apt/keyrings/d.gpg] http://opt.example/debian bookworm main'
check classic-options "http://opt.example/debian /etc/apt/keyrings/d.gpg"
etc classic-option sources.list 'deb [ signed-by=/k.gpg ] http://one.example/debian bookworm main'
check classic-option "http://one.example/debian /k.gpg"

# A .list file under sources.list.d, beside an empty sources.list.
etc classic-dir sources.list ''
etc classic-dir sources.list.d/debian.list 'deb http://dir.example/debian bookworm main'
check classic-dir "http://dir.example/debian $DEFAULT_KEY"

# deb822 wins over a sources.list naming another mirror (apt reads both; kvmexit takes one).
etc both sources.list 'deb http://classic.example/debian bookworm main'
etc both sources.list.d/debian.sources 'Types: deb
URIs: http://deb822.example/debian
Suites: bookworm
Components: main'
check both "http://deb822.example/debian $DEFAULT_KEY"

# No bookworm source anywhere: a failure that says what it read.
etc none sources.list 'deb http://trixie.example/debian trixie main'
check none FAIL
grep -q "no source of the bookworm suite in $tmp/none/sources.list.d/\*.sources or $tmp/none/sources.list: this expects Debian 12" "$tmp/none.err" &&
	echo "ok: none: $(cat "$tmp/none.err")" ||
	{ echo "not ok: none: the message was '$(cat "$tmp/none.err")'"; failures=$((failures + 1)); }

# What install-deps writes from the deb822 case.
expected='Types: deb
URIs: http://mirror.example/debian
Suites: bookworm-backports trixie-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg'
read -r uri key < <(bookworm_source "$tmp/deb822")
got=$(backports_stanza "$uri" "$key")
[ "$got" = "$expected" ] && echo "ok: the backports stanza" ||
	{ echo "not ok: the backports stanza:"; echo "$got"; failures=$((failures + 1)); }

echo "apt-sources: $failures failures"
[ "$failures" -eq 0 ]
