/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMEXIT_MMIO_ACCESS_H
#define KVMEXIT_MMIO_ACCESS_H

#define DATA(off)	(TESTDEV_BASE + TESTDEV_DATA + (off))

/* The accesses of tests/vmm/mmio.c's table; read results checked by the guest. */
void check_mmio_accesses(void);

#endif
