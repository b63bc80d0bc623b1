// SPDX-License-Identifier: GPL-2.0
/* The PL031 guests' access to the RTC, its interrupt and the virtual counter (rtc.h). */
#include "guest.h"
#include "pl031.h"
#include "policy_tests.h"
#include "rtc.h"

#define INTID		(32 + PL031_TEST_SPI)

volatile uint64_t rtc_irqs;
volatile uint32_t rtc_irq_mis, rtc_irq_dr;
static volatile uint64_t last_intid;

uint32_t rtc_read(unsigned long off)
{
	return *(volatile uint32_t *)(PL031_TEST_BASE + off);
}

void rtc_write(unsigned long off, uint32_t v)
{
	*(volatile uint32_t *)(PL031_TEST_BASE + off) = v;
}

uint64_t counter(void)
{
	uint64_t v;

	asm volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

uint64_t counter_hz(void)
{
	uint64_t v;

	asm volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

/* As Linux's pl031_interrupt(): note the status, clear the match. */
static void rtc_irq(void)
{
	uint64_t intid = gic_ack();

	last_intid = intid;
	rtc_irq_mis = rtc_read(RTCMIS);
	rtc_irq_dr = rtc_read(RTCDR);
	rtc_write(RTCICR, RTC_INT);
	rtc_irqs++;
	gic_eoi(intid);
}

void rtc_irq_init(void)
{
	gic_init_spi(INTID);
	guest_irq_handler = rtc_irq;
	asm volatile("msr daifclr, #2");
}

void wait_rtc_irqs(uint64_t n)
{
	wait_irqs(&rtc_irqs, n);
	GUEST_ASSERT_EQ(last_intid, INTID);
	GUEST_ASSERT_EQ(rtc_irq_mis, RTC_INT);
	GUEST_ASSERT_EQ(rtc_read(RTCRIS), 0);
	GUEST_ASSERT_EQ(rtc_read(RTCMIS), 0);
}

void wait_count(uint32_t value)
{
	while (rtc_read(RTCDR) < value)
		;
}
