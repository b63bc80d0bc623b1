/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The PL031 registers and bits pl031.bpf.c emulates (Arm PrimeCell Real Time Clock PL031
 * TRM), shared with the guests that drive it. Plain C: included by the policy and by its
 * tests.
 */
#ifndef KVMEXIT_PL031_H
#define KVMEXIT_PL031_H

#define PL031_SIZE		0x1000
#define RTCDR			0x000	/* data: the counter, seconds (read only) */
#define RTCMR			0x004	/* match: the alarm */
#define RTCLR			0x008	/* load: sets the counter */
#define RTCCR			0x00c	/* control: bit 0 starts the counter, for good */
#define RTCIMSC			0x010	/* interrupt mask set/clear: 1 enables */
#define RTCRIS			0x014	/* raw interrupt status (read only) */
#define RTCMIS			0x018	/* masked interrupt status (read only) */
#define RTCICR			0x01c	/* interrupt clear (write only) */
#define RTCPERIPHID0		0xfe0	/* PeriphID0..3, then CellID0..3, one byte per word */

#define RTCCR_START		(1u << 0)
#define RTC_INT			(1u << 0)	/* the match interrupt, in IMSC, RIS, MIS, ICR */

#endif
