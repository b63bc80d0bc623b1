/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a device emulated by a policy needs around its interrupt (pl011.bpf.c, pl031.bpf.c):
 * a lock for its state, the level the state asks of its SPI, and the code that sets the
 * SPI to it. Included once, by the policy's .bpf.c, after kvmexit.h.
 *
 * Several vCPUs, a timer and userspace may change the state at once, so it lives under
 * state_lock. No helper or kfunc may run under a bpf_spin_lock: a change notes the level
 * under the lock (note_level()) and sets the SPI after it (drive_spi()).
 */
#ifndef KVMEXIT_DEVICE_H
#define KVMEXIT_DEVICE_H

#define RECHECKS	4

/*
 * Taken around every use of the device's state. In a section of its own: a map holding a
 * lock cannot be mmapped, and the skeleton maps .bss to read the counters.
 */
struct bpf_spin_lock state_lock SEC(".bss.state_lock") __hidden;

bool line;			/* the level the state asks of the SPI */
__u64 irq_raised, irq_lowered;	/* changes of it */
int last_error;			/* of the SPI kfuncs (and the device's timer), 0 if none */

/* Under the lock, after a change of the state: note @level; true if the SPI must be set. */
static bool note_level(bool level)
{
	if (level == line)
		return false;
	line = level;
	if (level)
		irq_raised++;
	else
		irq_lowered++;
	return true;
}

/*
 * Set SPI @spi to the level the state asks for, after a change of it: from an exit (@exit),
 * or outside any (NULL: a timer, a program userspace runs). Only then: the guest may have
 * configured the SPI edge-triggered (KVM's default for SPIs), where each raise is an edge.
 * The kfunc cannot run under the lock, so two callers can reach the vGIC in the other order
 * than their changes of the state: after its call each looks at the level again and sets it
 * once more if it changed meanwhile, so the last to set the SPI leaves it at the state's
 * level. (Only others changing the level RECHECKS times while one sets it can outrun
 * it; the next change sets the SPI right.)
 */
static void drive_spi(struct kvm_arm_exit_ctx *exit, __u32 spi)
{
	bool level, set = false;
	int i, err;

	for (i = 0; i <= RECHECKS; i++) {
		bpf_spin_lock(&state_lock);
		level = line;
		bpf_spin_unlock(&state_lock);
		if (i && level == set)
			return;
		if (exit)
			err = bpf_kvm_exit_set_spi(exit, spi, level);
		else
			err = bpf_kvm_vm_set_spi(spi, level);
		if (err) {
			last_error = err;
			return;
		}
		set = level;
	}
}

#endif
