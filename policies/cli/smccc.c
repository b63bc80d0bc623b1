// SPDX-License-Identifier: GPL-2.0
/*
 * SMCCC function ids, as the kernel's include/linux/arm-smccc.h and include/uapi/linux/
 * psci.h define them (DEN0028 SMCCC, DEN0022 PSCI, DEN0098 TRNG, DEN0057 PV time, KVM's
 * vendor hypervisor service), named without their ARM_SMCCC_ and _FUNC_ID affixes.
 */
#include <stddef.h>
#include <strings.h>

#include "smccc.h"

static const struct smccc_function {
	const char *name;
	uint32_t fids[SMCCC_MAX_IDS];	/* 0: none */
} functions[] = {
	{ "SMCCC_VERSION",			{ 0x80000000 } },
	{ "SMCCC_ARCH_FEATURES",		{ 0x80000001 } },
	{ "SMCCC_ARCH_SOC_ID",			{ 0x80000002, 0xc0000002 } },
	{ "SMCCC_ARCH_WORKAROUND_1",		{ 0x80008000 } },
	{ "SMCCC_ARCH_WORKAROUND_2",		{ 0x80007fff } },
	{ "SMCCC_ARCH_WORKAROUND_3",		{ 0x80003fff } },
	{ "PSCI_VERSION",			{ 0x84000000 } },
	{ "PSCI_CPU_SUSPEND",			{ 0x84000001, 0xc4000001 } },
	{ "PSCI_CPU_OFF",			{ 0x84000002 } },
	{ "PSCI_CPU_ON",			{ 0x84000003, 0xc4000003 } },
	{ "PSCI_AFFINITY_INFO",			{ 0x84000004, 0xc4000004 } },
	{ "PSCI_MIGRATE",			{ 0x84000005, 0xc4000005 } },
	{ "PSCI_MIGRATE_INFO_TYPE",		{ 0x84000006 } },
	{ "PSCI_MIGRATE_INFO_UP_CPU",		{ 0x84000007, 0xc4000007 } },
	{ "PSCI_SYSTEM_OFF",			{ 0x84000008 } },
	{ "PSCI_SYSTEM_RESET",			{ 0x84000009 } },
	{ "PSCI_FEATURES",			{ 0x8400000a } },
	{ "PSCI_CPU_FREEZE",			{ 0x8400000b } },
	{ "PSCI_CPU_DEFAULT_SUSPEND",		{ 0x8400000c, 0xc400000c } },
	{ "PSCI_NODE_HW_STATE",			{ 0x8400000d, 0xc400000d } },
	{ "PSCI_SYSTEM_SUSPEND",		{ 0x8400000e, 0xc400000e } },
	{ "PSCI_SET_SUSPEND_MODE",		{ 0x8400000f } },
	{ "PSCI_STAT_RESIDENCY",		{ 0x84000010, 0xc4000010 } },
	{ "PSCI_STAT_COUNT",			{ 0x84000011, 0xc4000011 } },
	{ "PSCI_SYSTEM_RESET2",			{ 0x84000012, 0xc4000012 } },
	{ "PSCI_MEM_PROTECT",			{ 0x84000013 } },
	{ "PSCI_MEM_PROTECT_CHECK_RANGE",	{ 0x84000014, 0xc4000014 } },
	{ "PSCI_SYSTEM_OFF2",			{ 0x84000015, 0xc4000015 } },
	{ "TRNG_VERSION",			{ 0x84000050 } },
	{ "TRNG_FEATURES",			{ 0x84000051 } },
	{ "TRNG_GET_UUID",			{ 0x84000052 } },
	{ "TRNG_RND32",				{ 0x84000053 } },
	{ "TRNG_RND64",				{ 0xc4000053 } },
	{ "HV_PV_TIME_FEATURES",		{ 0xc5000020 } },
	{ "HV_PV_TIME_ST",			{ 0xc5000021 } },
	{ "VENDOR_HYP_KVM_FEATURES",		{ 0x86000000 } },
	{ "VENDOR_HYP_KVM_PTP",			{ 0x86000001 } },
	{ "VENDOR_HYP_KVM_HYP_MEMINFO",		{ 0xc6000002 } },
	{ "VENDOR_HYP_KVM_MEM_SHARE",		{ 0xc6000003 } },
	{ "VENDOR_HYP_KVM_MEM_UNSHARE",		{ 0xc6000004 } },
	{ "VENDOR_HYP_KVM_MMIO_GUARD",		{ 0xc6000007 } },
	{ "VENDOR_HYP_KVM_DISCOVER_IMPL_VER",	{ 0xc6000040 } },
	{ "VENDOR_HYP_KVM_DISCOVER_IMPL_CPUS",	{ 0xc6000041 } },
	{ "VENDOR_HYP_CALL_UID",		{ 0x8600ff01 } },
};

#define NR_FUNCTIONS	(sizeof(functions) / sizeof(functions[0]))

const char *smccc_name(uint32_t fid)
{
	size_t i, j;

	for (i = 0; i < NR_FUNCTIONS; i++)
		for (j = 0; j < SMCCC_MAX_IDS; j++)
			if (functions[i].fids[j] == fid)
				return functions[i].name;
	return NULL;
}

int smccc_ids(const char *name, uint32_t fids[SMCCC_MAX_IDS])
{
	size_t i;
	int n;

	for (i = 0; i < NR_FUNCTIONS; i++) {
		if (strcasecmp(functions[i].name, name))
			continue;
		for (n = 0; n < SMCCC_MAX_IDS && functions[i].fids[n]; n++)
			fids[n] = functions[i].fids[n];
		return n;
	}
	return 0;
}

bool smccc_is_arch_call(uint32_t fid)
{
	return (fid & 0xbfff0000) == 0x80000000;
}
