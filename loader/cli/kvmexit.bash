# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# Bash completion for kvmexit(8): commands, options, policy names and files, rule
# subcommands, actions and SMCCC names, and the values of --pid, --vm, --vm-name, --cgroup,
# --before, --after and --name.
#
# Only bash builtins (compgen, compopt, complete, mapfile): the bash-completion package,
# whose helpers (_init_completion, _filedir, ...) other completions lean on, need not be
# installed. tests/tools/docs.sh (ctest docs-man-completion) runs it without them.

# The installed policy directory, searched after $KVMEXIT_POLICY_PATH (CMake writes the
# configured one into the installed copy of this file).
_kvmexit_policy_dir=/usr/lib/kvmexit/policies
# Where kvmexit pins its policies: PID-FD-START-VMID/ per VM (START: its VMM's start time),
# cgroup-INODE/, host/.
_kvmexit_pin_dir=/sys/fs/bpf/kvmexit

_kvmexit_commands='list stats attach replace detach console params rule log'
_kvmexit_global_options='-j --json -p --pretty -v --verbose --version -h --help'
_kvmexit_targets='--pid --vm --vm-name --cgroup --host'
# The names `kvmexit rule` takes for function ids: those of policies/cli/smccc.c, which
# docs.sh checks these against.
_kvmexit_smccc_names='SMCCC_VERSION SMCCC_ARCH_FEATURES SMCCC_ARCH_SOC_ID
	SMCCC_ARCH_WORKAROUND_1 SMCCC_ARCH_WORKAROUND_2 SMCCC_ARCH_WORKAROUND_3 PSCI_VERSION
	PSCI_CPU_SUSPEND PSCI_CPU_OFF PSCI_CPU_ON PSCI_AFFINITY_INFO PSCI_MIGRATE
	PSCI_MIGRATE_INFO_TYPE PSCI_MIGRATE_INFO_UP_CPU PSCI_SYSTEM_OFF PSCI_SYSTEM_RESET
	PSCI_FEATURES PSCI_CPU_FREEZE PSCI_CPU_DEFAULT_SUSPEND PSCI_NODE_HW_STATE
	PSCI_SYSTEM_SUSPEND PSCI_SET_SUSPEND_MODE PSCI_STAT_RESIDENCY PSCI_STAT_COUNT
	PSCI_SYSTEM_RESET2 PSCI_MEM_PROTECT PSCI_MEM_PROTECT_CHECK_RANGE PSCI_SYSTEM_OFF2
	TRNG_VERSION TRNG_FEATURES TRNG_GET_UUID TRNG_RND32 TRNG_RND64 HV_PV_TIME_FEATURES
	HV_PV_TIME_ST VENDOR_HYP_KVM_FEATURES VENDOR_HYP_KVM_PTP VENDOR_HYP_KVM_HYP_MEMINFO
	VENDOR_HYP_KVM_MEM_SHARE VENDOR_HYP_KVM_MEM_UNSHARE VENDOR_HYP_KVM_MMIO_GUARD
	VENDOR_HYP_KVM_DISCOVER_IMPL_VER VENDOR_HYP_KVM_DISCOVER_IMPL_CPUS VENDOR_HYP_CALL_UID'

# The options a command takes besides the global ones.
_kvmexit_command_options()
{
	case $1 in
	list | stats) echo --pid --vm --vm-name --watch ;;
	attach) echo "$_kvmexit_targets" --first --before --after --set ;;
	replace) echo "$_kvmexit_targets" --name --set --fresh ;;
	detach) echo "$_kvmexit_targets" ;;
	console) echo --pid --vm --vm-name ;;
	rule) echo "$_kvmexit_targets" --name ;;
	log) echo "$_kvmexit_targets" --name --follow ;;
	esac
}

# Add the words of compgen "$@" to COMPREPLY (mapfile: no word splitting or globbing).
_kvmexit_add()
{
	local words
	mapfile -t words < <(compgen "$@")
	COMPREPLY+=("${words[@]}")
}

# Files and directories from here on: quoted as file names, directories with a slash.
# compopt fails outside a completion readline started (as when a test calls _kvmexit).
_kvmexit_filenames()
{
	compopt -o filenames 2>/dev/null || true
}

# POLICY: the names of NAME.bpf.o in $KVMEXIT_POLICY_PATH's directories and the installed
# one (a bare name is looked up there), and *.bpf.o files and directories.
_kvmexit_policies()
{
	local cur=$1 dir file name dirs=()
	local -A seen=()

	if [[ $cur != */* ]]; then
		IFS=: read -ra dirs <<<"${KVMEXIT_POLICY_PATH-}"
		dirs+=("$_kvmexit_policy_dir")
		for dir in "${dirs[@]}"; do
			[[ -n $dir ]] || continue
			for file in "$dir"/*.bpf.o; do
				[[ -f $file ]] || continue
				name=${file##*/}
				name=${name%.bpf.o}
				[[ $name == "$cur"* && -z ${seen[$name]-} ]] || continue
				seen[$name]=1
				COMPREPLY+=("$name")
			done
		done
	fi
	_kvmexit_filenames
	_kvmexit_add -f -X '!*.bpf.o' -- "$cur"
	_kvmexit_add -d -- "$cur"
}

# --vm-name: the name of every QEMU process's VM, read as kvmexit reads it (the last
# -name [guest=]NAME[,...]: a comma ends NAME, two make one); with @want, the pid of the
# QEMU process whose VM has that name instead.
_kvmexit_vm_names()
{
	local want=${1-} proc i value name argv

	for proc in /proc/[0-9]*; do
		mapfile -d '' -t argv 2>/dev/null <"$proc/cmdline" || continue
		[[ ${argv[0]-} == *qemu* ]] || continue
		value=''
		for ((i = 1; i + 1 < ${#argv[@]}; i++)); do
			[[ ${argv[i]} == -name || ${argv[i]} == --name ]] && value=${argv[i + 1]}
		done
		[[ -n $value ]] || continue
		value=${value#guest=}
		name=''
		while [[ -n $value && ( ${value:0:1} != , || ${value:1:1} == , ) ]]; do
			[[ ${value:0:1} == , ]] && value=${value:1}
			name+=${value:0:1}
			value=${value:1}
		done
		if [[ -z $want ]]; then
			echo "$name"
		elif [[ $name == "$want" ]]; then
			echo "${proc#/proc/}"
			return
		fi
	done
}

# --vm: the fds of process @1 that are KVM VMs (readable with ptrace rights over it).
_kvmexit_vm_fds()
{
	local fd

	[[ -n $1 ]] || return
	for fd in "/proc/$1/fd/"*; do
		[[ $(readlink "$fd" 2>/dev/null) == anon_inode:kvm-vm ]] && echo "${fd##*/}"
	done
}

# The names of the policies kvmexit pinned for a target (--pid @1 [--vm @2], --cgroup @3,
# --host @4): the links in its pin directories, not what is pinned beside them (NAME-X).
_kvmexit_pinned()
{
	local pid=$1 vm=$2 cgroup=$3 host=$4 dir entry other inode dirs=() entries=()

	if [[ -n $pid && -n $vm ]]; then
		dirs=("$_kvmexit_pin_dir/$pid-$vm-"*)
	elif [[ -n $pid ]]; then
		dirs=("$_kvmexit_pin_dir/$pid-"*)
	elif [[ -n $cgroup ]]; then
		inode=$(stat -Lc %i -- "$cgroup" 2>/dev/null) || return
		dirs=("$_kvmexit_pin_dir/cgroup-$inode")
	elif [[ -n $host ]]; then
		dirs=("$_kvmexit_pin_dir/host")
	fi
	for dir in "${dirs[@]}"; do
		for entry in "$dir"/*; do
			[[ -e $entry ]] && entries+=("${entry##*/}")
		done
	done
	for entry in "${entries[@]}"; do
		for other in "${entries[@]}"; do
			[[ $entry == "${other}-"* ]] && continue 2
		done
		echo "$entry"
	done
}

_kvmexit()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev='' word cmd='' i skip=0 eq=0 opt='' options
	local pid='' vm='' vm_name='' cgroup='' host='' args=()

	COMPREPLY=()
	if ((COMP_CWORD > 0)); then
		prev=${COMP_WORDS[COMP_CWORD - 1]}
	fi
	# Readline splits --opt=VALUE at the '=' (COMP_WORDBREAKS) into "--opt" "=" "VALUE",
	# and the word completed right after the '=' is "=" itself.
	if [[ $cur == = ]]; then
		cur=
		eq=1
	elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
		eq=1
	fi
	# After --watch= or the NAME= of --set NAME=VALUE: nothing to offer.
	if ((eq)) && [[ $prev == --watch || $prev != --* ]]; then
		return 0
	fi

	# What is on the line before the word completed: the command, its arguments, the target.
	for ((i = 1; i < COMP_CWORD; i++)); do
		word=${COMP_WORDS[i]}
		if ((skip)); then
			# The value of option $opt (after the '=' if split there).
			[[ $word == = ]] && continue
			skip=0
			case $opt in
			--pid) pid=$word ;;
			--vm) vm=$word ;;
			--vm-name) vm_name=$word ;;
			--cgroup) cgroup=$word ;;
			esac
			continue
		fi
		case $word in
		=)
			# NAME=VALUE or --watch=SECONDS: VALUE is no argument.
			skip=1
			opt=
			;;
		--pid | --vm | --vm-name | --cgroup | --before | --after | --name | --set)
			skip=1
			opt=$word
			;;
		--host) host=1 ;;
		-*) ;;
		*)
			if [[ -z $cmd ]]; then
				cmd=$word
			else
				args+=("$word")
			fi
			;;
		esac
	done
	if [[ -n $vm_name && -z $pid ]]; then
		pid=$(_kvmexit_vm_names "$vm_name")
	fi

	# The value of an option.
	case $prev in
	--pid)
		local pids=() proc
		for proc in /proc/[0-9]*; do
			pids+=("${proc#/proc/}")
		done
		_kvmexit_add -W "${pids[*]}" -- "$cur"
		return
		;;
	--vm)
		_kvmexit_add -W "$(_kvmexit_vm_fds "$pid")" -- "$cur"
		return
		;;
	--vm-name)
		local IFS=$'\n'
		_kvmexit_add -W "$(_kvmexit_vm_names)" -- "$cur"
		return
		;;
	--cgroup)
		_kvmexit_filenames
		_kvmexit_add -d -- "$cur"
		return
		;;
	--before | --after | --name)
		_kvmexit_add -W "$(_kvmexit_pinned "$pid" "$vm" "$cgroup" "$host")" -- "$cur"
		return
		;;
	--set)
		# NAME=VALUE: `kvmexit params POLICY` lists the names.
		return
		;;
	esac

	if [[ $cur == -* ]]; then
		options="$_kvmexit_global_options $(_kvmexit_command_options "$cmd")"
		_kvmexit_add -W "$options" -- "$cur"
		return
	fi
	if [[ -z $cmd ]]; then
		_kvmexit_add -W "$_kvmexit_commands" -- "$cur"
		return
	fi

	# The command's arguments: args holds those before the word completed.
	case $cmd:${#args[@]} in
	attach:0 | replace:0 | params:0)
		_kvmexit_policies "$cur"
		;;
	detach:0 | console:0)
		_kvmexit_add -W "$(_kvmexit_pinned "$pid" "$vm" "$cgroup" "$host")" -- "$cur"
		;;
	rule:0)
		_kvmexit_add -W 'show add del load' -- "$cur"
		;;
	rule:1)
		case ${args[0]} in
		add | del) _kvmexit_add -W "$_kvmexit_smccc_names" -- "$cur" ;;
		load)
			_kvmexit_filenames
			_kvmexit_add -f -- "$cur"
			;;
		esac
		;;
	rule:2)
		[[ ${args[0]} == add ]] && _kvmexit_add -W 'allow deny forward' -- "$cur"
		;;
	esac
	return 0
}

complete -F _kvmexit kvmexit
