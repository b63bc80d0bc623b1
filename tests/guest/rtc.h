/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PL031 of policies/pl031.bpf.c as the pl031 guests drive it (at PL031_TEST_BASE, its
 * match interrupt on PL031_TEST_SPI), and the virtual counter they time it with.
 */
#ifndef KVMEXIT_RTC_H
#define KVMEXIT_RTC_H

#include <stdint.h>

uint32_t rtc_read(unsigned long off);
void rtc_write(unsigned long off, uint32_t v);
/* The virtual counter (CNTVCT_EL0) and its frequency. */
uint64_t counter(void);
uint64_t counter_hz(void);

/* Interrupts taken, and RTCMIS and RTCDR as the handler read them for the last one. */
extern volatile uint64_t rtc_irqs;
extern volatile uint32_t rtc_irq_mis, rtc_irq_dr;
/* Route the RTC's SPI to this vCPU, to a handler that clears each match, and unmask IRQs. */
void rtc_irq_init(void);
/* Wait (in WFI) for the @n-th interrupt, then check it was the RTC's match, cleared. */
void wait_rtc_irqs(uint64_t n);
/* Spin until the counter reads at least @value. */
void wait_count(uint32_t value);

#endif
