/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The standard SMCCC function ids by name (PSCI_CPU_ON, TRNG_RND64, ...), for the
 * hypercall filter's rules and log. A name can stand for both calling conventions of a
 * function (PSCI_CPU_ON: 0x84000003 and 0xc4000003).
 */
#ifndef KVMEXIT_SMCCC_H
#define KVMEXIT_SMCCC_H

#include <stdbool.h>
#include <stdint.h>

#define SMCCC_MAX_IDS	2	/* per name: SMC32 and SMC64 */

/* The name of @fid, or NULL if it has none here. */
const char *smccc_name(uint32_t fid);
/* The ids @name (case-insensitive) stands for, into @fids: how many, 0 if no such name. */
int smccc_ids(const char *name, uint32_t fids[SMCCC_MAX_IDS]);
/* An Arm Architecture Call (owner 0, fast): KVM never lets a policy see one. */
bool smccc_is_arch_call(uint32_t fid);

#endif
