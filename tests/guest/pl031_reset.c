// SPDX-License-Identifier: GPL-2.0
/*
 * The real-time clock of policies/pl031.bpf.c with its defaults, as QEMU's PL031 behaves and
 * a guest that never writes RTCCR expects: the counter starts at the host's UTC time, reads
 * as started and counts from reset, a step of the host's clock does not move it back, and a
 * match interrupt comes. What RTCDR reads is reported to the VMM (tests/vmm/
 * policy_pl031_reset.c), which compares it with its own clock and steps that clock.
 */
#include "guest.h"
#include "pl031.h"
#include "policy_tests.h"
#include "rtc.h"

int main(void)
{
	uint32_t wall, stepped, mr;
	uint64_t t0;

	rtc_irq_init();
	/* The first access is the device's reset. */
	wall = rtc_read(RTCDR);
	testdev_write(TESTDEV_DATA + PL031_RESET_WALL, wall);
	/* The VMM stepped the host's clock back an hour meanwhile. */
	stepped = rtc_read(RTCDR);
	testdev_write(TESTDEV_DATA + PL031_RESET_STEPPED, stepped);
	GUEST_ASSERT(stepped >= wall);

	/* Never written, RTCCR reads as started, and the counter moves within 2 s. */
	GUEST_ASSERT_EQ(rtc_read(RTCCR), RTCCR_START);
	t0 = counter();
	while (rtc_read(RTCDR) == stepped && counter() - t0 < 2 * counter_hz())
		;
	GUEST_ASSERT(rtc_read(RTCDR) > stepped);
	guest_puts("pl031-reset: counting from reset, RTCCR never written\n");

	rtc_write(RTCIMSC, RTC_INT);
	mr = rtc_read(RTCDR) + 2;
	rtc_write(RTCMR, mr);
	wait_rtc_irqs(1);
	GUEST_ASSERT(rtc_irq_dr >= mr);
	guest_puts("pl031-reset: the match interrupt came\n");
	return 0;
}
