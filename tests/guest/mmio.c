// SPDX-License-Identifier: GPL-2.0
/* MMIO outside every memslot, each access a KVM_EXIT_MMIO the VMM answers. */
#include "guest.h"
#include "mmio_access.h"

int main(void)
{
	check_mmio_accesses();
	return 0;
}
