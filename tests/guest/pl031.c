// SPDX-License-Identifier: GPL-2.0
/*
 * The real-time clock of policies/pl031.bpf.c, register by register as the PL031 TRM
 * defines them (the VMM loads it with pl031_start_at_reset=0, the TRM's reset; pl031_reset.c
 * has QEMU's): its IDs and reset state, a counter frozen until started and loaded through
 * RTCLR, a start bit that cannot be cleared, and the match interrupt: from the policy's
 * timer while this vCPU waits in WFI (no exit of its own to ride on), pending while masked,
 * at once when RTCMR equals the counter, re-planned by RTCLR, dropped when RTCMR moves on,
 * and never delivered once the VMM detached the policy with an alarm pending. No alarm
 * comes early: the counter reads at least RTCMR in the handler. Times are lower bounds
 * only, from the virtual counter: a slow machine makes everything later, not earlier.
 */
#include "guest.h"
#include "pl031.h"
#include "policy_tests.h"
#include "rtc.h"

static void check_identity_and_reset_state(void)
{
	static const uint8_t id[8] = { 0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };
	uint64_t t0;
	int i;

	for (i = 0; i < 8; i++)
		GUEST_ASSERT_EQ(rtc_read(RTCPERIPHID0 + 4 * i), id[i]);
	GUEST_ASSERT_EQ(rtc_read(RTCDR), PL031_TEST_EPOCH);
	GUEST_ASSERT_EQ(rtc_read(RTCMR), 0);
	GUEST_ASSERT_EQ(rtc_read(RTCLR), 0);
	GUEST_ASSERT_EQ(rtc_read(RTCCR), 0);
	GUEST_ASSERT_EQ(rtc_read(RTCIMSC), 0);
	GUEST_ASSERT_EQ(rtc_read(RTCRIS), 0);
	GUEST_ASSERT_EQ(rtc_read(RTCMIS), 0);
	GUEST_ASSERT_EQ(rtc_read(RTCICR), 0);		/* write only */
	GUEST_ASSERT_EQ(rtc_read(0x020), 0);		/* reserved */
	GUEST_ASSERT_EQ(*(volatile uint8_t *)(PL031_TEST_BASE + RTCDR + 1), 0);

	/* Not started, the counter holds still. */
	t0 = counter();
	while (counter() - t0 < counter_hz() + counter_hz() / 10)
		;
	GUEST_ASSERT_EQ(rtc_read(RTCDR), PL031_TEST_EPOCH);
}

static void check_load_and_start(void)
{
	uint64_t t0;

	rtc_write(RTCLR, 5000);
	GUEST_ASSERT_EQ(rtc_read(RTCLR), 5000);
	GUEST_ASSERT_EQ(rtc_read(RTCDR), 5000);
	rtc_write(RTCDR, 7);				/* read only */
	rtc_write(RTCRIS, 1);
	rtc_write(RTCMIS, 1);
	GUEST_ASSERT_EQ(rtc_read(RTCDR), 5000);
	GUEST_ASSERT_EQ(rtc_read(RTCRIS), 0);

	t0 = counter();
	rtc_write(RTCCR, RTCCR_START);
	GUEST_ASSERT_EQ(rtc_read(RTCCR), RTCCR_START);
	rtc_write(RTCCR, 0);				/* no effect once started */
	GUEST_ASSERT_EQ(rtc_read(RTCCR), RTCCR_START);
	wait_count(5001);
	GUEST_ASSERT(counter() - t0 >= counter_hz() - counter_hz() / 100);
	GUEST_ASSERT_EQ(rtc_read(RTCLR), 5000);
}

static void check_alarms(void)
{
	uint32_t dr, mr;
	uint64_t t0;

	/* 1: from the policy's timer, while this vCPU waits. */
	rtc_write(RTCIMSC, RTC_INT);
	GUEST_ASSERT_EQ(rtc_read(RTCIMSC), RTC_INT);
	t0 = counter();
	dr = rtc_read(RTCDR);
	rtc_write(RTCMR, dr + 2);
	GUEST_ASSERT_EQ(rtc_read(RTCMR), dr + 2);
	guest_puts("pl031: waiting for the first alarm in WFI\n");
	wait_rtc_irqs(1);
	GUEST_ASSERT(rtc_irq_dr >= dr + 2);
	GUEST_ASSERT(counter() - t0 >= counter_hz() - counter_hz() / 100);

	/* 2: masked, the match is pending (RIS) but not signalled, until unmasked. */
	rtc_write(RTCIMSC, 0);
	dr = rtc_read(RTCDR);
	rtc_write(RTCMR, dr + 1);
	while (!rtc_read(RTCRIS))
		;
	GUEST_ASSERT(rtc_read(RTCDR) >= dr + 1);
	GUEST_ASSERT_EQ(rtc_read(RTCMIS), 0);
	GUEST_ASSERT_EQ(rtc_irqs, 1);
	rtc_write(RTCIMSC, RTC_INT);
	wait_rtc_irqs(2);

	/* 3: RTCMR written equal to the counter: a match at once. */
	rtc_write(RTCMR, rtc_read(RTCDR));
	wait_rtc_irqs(3);

	/* 4: the counter loaded to one short of RTCMR: the alarm follows the load. */
	mr = rtc_read(RTCDR) + 100;
	rtc_write(RTCMR, mr);
	rtc_write(RTCLR, mr - 1);
	GUEST_ASSERT_EQ(rtc_read(RTCDR), mr - 1);
	wait_rtc_irqs(4);
	GUEST_ASSERT(rtc_irq_dr >= mr);

	/* RTCMR moved on before its match: nothing when the counter passes the first. */
	dr = rtc_read(RTCDR);
	rtc_write(RTCMR, dr + 1);
	rtc_write(RTCMR, dr + 1000);
	wait_count(dr + 2);
	GUEST_ASSERT_EQ(rtc_read(RTCRIS), 0);
	GUEST_ASSERT_EQ(rtc_irqs, 4);
}

int main(void)
{
	rtc_irq_init();
	check_identity_and_reset_state();
	guest_puts("pl031: identity and reset state ok, counter frozen until started\n");
	check_load_and_start();
	guest_puts("pl031: loaded and started, counting\n");
	check_alarms();
	guest_puts("pl031: 4 alarms taken, a moved one not\n");

	/*
	 * An alarm pending (4 to 5 s ahead: the VMM checks it has not fired when it
	 * detaches), the VMM detaches the policy and waits for the alarm's timer to fire;
	 * the line must stay low. Masked while the VMM works, a raised SPI would be taken at
	 * the unmask.
	 */
	asm volatile("msr daifset, #2");
	rtc_write(RTCMR, rtc_read(RTCDR) + 5);
	testdev_write(TESTDEV_DATA + PL031_TEST_DETACH, 1);
	asm volatile("msr daifclr, #2; isb; nop; nop; msr daifset, #2");
	GUEST_ASSERT_EQ(rtc_irqs, PL031_TEST_IRQS);
	return 0;
}
