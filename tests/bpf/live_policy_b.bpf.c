// SPDX-License-Identifier: GPL-2.0
/*
 * live_policy under a name that extends another policy's (live_policy_b): what kvmexit pins
 * beside one of them must never be taken for the other's.
 */
#define live_policy live_policy_b
#include "live_policy.bpf.c"
