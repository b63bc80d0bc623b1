// SPDX-License-Identifier: GPL-2.0
/*
 * pl031: a real-time clock (Arm PrimeCell RTC PL031) emulated in the kernel by an exit
 * policy, its alarm interrupt driven by a BPF timer: the device interrupts on its own, with
 * no exit of the guest's to ride on. Linux's rtc-pl031 driver probes and drives it
 * unmodified.
 *
 * Parameters (globals, set before load: kvmexit attach ... --set NAME=VALUE):
 *   pl031_base   guest physical address of its 4 KiB register page (0x09010000: where
 *                QEMU's virt board has its own PL031)
 *   pl031_spi    its interrupt, an SPI of the in-kernel vGIC (2: INTID 34, virt's RTC)
 *   pl031_epoch  the counter's value at reset, in seconds; 0 (the default) for the host's
 *                UTC time then (its wall clock, CLOCK_REALTIME)
 *   pl031_start_at_reset
 *                1 (the default): the counter counts from reset and RTCCR reads 1, as in
 *                QEMU's PL031, whose place this policy takes, and in an RTC its firmware
 *                started: a guest that never writes RTCCR sees the time move. 0: it stands
 *                still until the guest sets RTCCR's start bit, as after the TRM's reset.
 * Reset is the guest's first access: the policy sees nothing of the VM before it.
 *
 * The registers as the PL031 TRM defines them: RTCDR reads the counter, which counts
 * seconds once started (at reset, or by RTCCR's start bit, which cannot be cleared again).
 * Writing RTCLR loads the counter (RTCLR reads back what was written). The match interrupt
 * is raised when the counter reaches RTCMR, and stays raised (RTCRIS) until written 1 to
 * RTCICR; RTCMIS is RTCRIS masked by RTCIMSC; the SPI is high while RTCMIS is. As in
 * QEMU's PL031, writing RTCMR (or RTCLR) so that the two are equal raises it at once.
 * PeriphID and CellID are QEMU's (a PL031 r1). Reserved words read as zero and ignore
 * writes, and so do RTCDR writes, RTCRIS and RTCMIS writes, RTCICR reads. Accesses narrower
 * than a word at a word's offset 1..3 are reserved words too.
 *
 * The time: the host's wall clock is read once, at reset, to the nanosecond, so the counter
 * ticks when the host's seconds do; from there it counts CLOCK_MONOTONIC seconds. A step of
 * the host's clock (date -s, an NTP step) thus never moves the guest's RTC, which never
 * goes back; the guest sets its own time with RTCLR.
 *
 * The alarm is a bpf_timer (alarm_timer) armed for the moment the counter reaches RTCMR,
 * re-armed at every change of RTCMR, RTCLR or RTCCR; its callback raises the SPI with
 * bpf_kvm_vm_set_spi(), which reaches the VM the policy is attached to when it fires, and
 * nothing once it is detached.
 *
 * State (for a VMM that would migrate it, the step after this one): the globals below the
 * "Register state" comment: the counter as a (value, CLOCK_MONOTONIC instant) pair, the
 * start bit, RTCMR, RTCLR, RTCIMSC, RTCRIS, and the SPI's level (line, device.h). A VMM
 * saving it would read them from the .bss map with the vCPUs stopped, turn the instant into
 * a wall-clock time, and on the destination load them back (and the instant from its own
 * clock) before the policy is attached; the pending alarm is re-armed from RTCMR at the
 * first access.
 *
 * Several vCPUs and the timer: state_lock (device.h) covers the registers. No helper or
 * kfunc may run under a bpf_spin_lock, so arming the timer and setting the SPI happen after
 * it, each followed by a look at the state again (see arm_alarm() and drive_spi()).
 */
#include "kvmexit.h"
#include "device.h"
#include "pl031.h"

#define NSEC_PER_SEC		1000000000ull
#define CLOCK_MONOTONIC		1

const volatile __u64 pl031_base = 0x09010000;
const volatile __u32 pl031_spi = 2;
const volatile __u32 pl031_epoch;
const volatile __u32 pl031_start_at_reset = 1;

/* PL031 r1 with the ARM designer id, as QEMU's pl031 reports it. */
static const __u8 pl031_id[8] = { 0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

struct rtc_alarm {
	struct bpf_timer timer;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct rtc_alarm);
} alarm_timer SEC(".maps");

/*
 * Register state, under state_lock (device.h): the counter read base_count at base_ns (and
 * stays there until started).
 */
bool initialized;
__u32 base_count;
__u64 base_ns;
bool started;
__u32 mr, lr, imsc, ris;
__u64 alarm_ns;		/* when the counter reaches RTCMR (0: never, not started) */

/* What the policy did, for kvmexit and the tests. */
__u64 accesses;		/* register accesses emulated (HANDLED) */
__u64 alarms;		/* matches: RTCRIS set by the timer or at once */

/* Under the lock: the counter at @now. */
static __u32 count_at(__u64 now)
{
	if (!started)
		return base_count;
	return base_count + (__u32)((now - base_ns) / NSEC_PER_SEC);
}

/* Under the lock: load the counter with @value at @now (the next second starts then). */
static void load_counter(__u32 value, __u64 now)
{
	base_count = value;
	base_ns = now;
}

/*
 * Under the lock, after a change of RTCMR, RTCLR or RTCCR: when the counter reaches RTCMR
 * (it ticks at base_ns + k seconds), or, if it equals RTCMR now, a match at once.
 */
static void plan_alarm(__u64 now)
{
	__u32 count = count_at(now), ahead = mr - count;

	alarm_ns = 0;
	if (!ahead) {
		ris |= RTC_INT;
		alarms++;
		return;
	}
	if (!started)
		return;
	/* The counter reads count + n from base_ns + (count + n - base_count) seconds. */
	alarm_ns = base_ns + ((__u64)(__u32)(count - base_count) + ahead) * NSEC_PER_SEC;
}

/* Under the lock: the SPI is high while the match interrupt is raised and unmasked. */
static bool note_irq_level(void)
{
	return note_level((ris & imsc) != 0);
}

/*
 * Under the lock, at reset (@now): load the counter with pl031_epoch, or with the host's
 * wall clock @wall (read just before @now) as of a fraction of a second before @now, so that
 * it ticks when the host's clock does.
 */
static void reset_counter(__u64 wall, __u64 now)
{
	if (pl031_epoch)
		load_counter(pl031_epoch, now);
	else
		load_counter(wall / NSEC_PER_SEC, now - wall % NSEC_PER_SEC);
	started = pl031_start_at_reset;
}

static __u32 read_reg(__u64 off, __u64 now)
{
	switch (off) {
	case RTCDR:
		return count_at(now);
	case RTCMR:
		return mr;
	case RTCLR:
		return lr;
	case RTCCR:
		return started ? RTCCR_START : 0;
	case RTCIMSC:
		return imsc;
	case RTCRIS:
		return ris;
	case RTCMIS:
		return ris & imsc;
	}
	if (off >= RTCPERIPHID0 && off < PL031_SIZE)
		return pl031_id[((off - RTCPERIPHID0) / 4) & 7];
	return 0;
}

/* Under the lock; true if the alarm must be re-planned. */
static bool write_reg(__u64 off, __u32 val, __u64 now)
{
	switch (off) {
	case RTCMR:
		mr = val;
		return true;
	case RTCLR:
		lr = val;
		load_counter(val, now);
		return true;
	case RTCCR:
		if (started || !(val & RTCCR_START))
			return false;
		/* The counter starts from its value now: it was frozen until here. */
		load_counter(base_count, now);
		started = true;
		return true;
	case RTCIMSC:
		imsc = val & RTC_INT;
		break;
	case RTCICR:
		ris &= ~(val & RTC_INT);
		break;
	}
	return false;
}

static int alarm_fired(void *map, int *key, struct rtc_alarm *alarm);

/* Arm @alarm for @at (CLOCK_MONOTONIC ns), or cancel it if @at is 0. */
static void start_timer(struct rtc_alarm *alarm, __u64 at)
{
	__u64 now = bpf_ktime_get_ns();
	long err;

	if (!at) {
		bpf_timer_cancel(&alarm->timer);
		return;
	}
	err = bpf_timer_start(&alarm->timer, at > now ? at - now : 0, 0);
	if (err)
		last_error = err;
}

/*
 * Arm the timer for the alarm the state plans, after a change of it. The timer calls cannot
 * run under the lock: after arming, look again and re-arm if another vCPU planned another
 * alarm meanwhile, so the last to arm leaves the timer at the state's plan.
 */
static void arm_alarm(void)
{
	struct rtc_alarm *alarm;
	__u64 at, armed = 0;
	int key = 0, i;

	alarm = bpf_map_lookup_elem(&alarm_timer, &key);
	if (!alarm)
		return;
	bpf_timer_init(&alarm->timer, &alarm_timer, CLOCK_MONOTONIC);	/* -EBUSY later */
	for (i = 0; i <= RECHECKS; i++) {
		bpf_spin_lock(&state_lock);
		at = alarm_ns;
		bpf_spin_unlock(&state_lock);
		if (i && at == armed)
			return;
		armed = at;
		/* Each time: bpf_timer_cancel() drops the callback. */
		if (at)
			bpf_timer_set_callback(&alarm->timer, alarm_fired);
		start_timer(alarm, at);
	}
}

/* The timer: the counter reached RTCMR, unless the plan changed since it was armed. */
static int alarm_fired(void *map, int *key, struct rtc_alarm *alarm)
{
	__u64 now = bpf_ktime_get_ns(), later = 0;
	bool changed = false;

	bpf_spin_lock(&state_lock);
	if (alarm_ns && now >= alarm_ns) {
		alarm_ns = 0;
		ris |= RTC_INT;
		alarms++;
		changed = note_irq_level();
	} else {
		later = alarm_ns;	/* re-planned meanwhile: its writer arms it too */
	}
	bpf_spin_unlock(&state_lock);
	if (later)
		start_timer(alarm, later);
	if (changed)
		drive_spi(NULL, pl031_spi);
	return 0;
}

SEC("struct_ops/mmio")
int BPF_PROG(pl031_mmio, struct kvm_arm_exit_ctx *exit)
{
	__u64 off = exit->ipa - pl031_base, wall = 0, now;
	bool replan = false, changed;
	__u32 val = 0;

	if (exit->ipa < pl031_base || off >= PL031_SIZE)
		return KVM_ARM_EXIT_DEFAULT;
	/* Read first: taken as of @now, the guest's time is a little late, never early. */
	if (!initialized && !pl031_epoch)
		wall = bpf_kvm_realtime_ns();
	now = bpf_ktime_get_ns();
	bpf_spin_lock(&state_lock);
	/* The first access (of several vCPUs at once, the first to take the lock). */
	if (!initialized) {
		initialized = true;
		reset_counter(wall, now);
	}
	if (!(off & 3)) {
		if (exit->is_write)
			replan = write_reg(off, exit->data, now);
		else
			val = read_reg(off, now);
	}
	if (replan)
		plan_alarm(now);
	accesses++;
	changed = note_irq_level();
	bpf_spin_unlock(&state_lock);
	if (!exit->is_write)
		bpf_kvm_exit_mmio_read_data(exit, val);
	if (replan)
		arm_alarm();
	if (changed)
		drive_spi(exit, pl031_spi);
	return KVM_ARM_EXIT_HANDLED;
}

SEC(".struct_ops.link")
struct kvm_arm_exit_ops pl031 KVMEXIT_ONE_VM = {
	.mmio = (void *)pl031_mmio,
	.vm_fd = -1,
};

char LICENSE[] SEC("license") = "GPL";
