// SPDX-License-Identifier: GPL-2.0
/*
 * The VM's id as its policy sees it (tests/bpf/vm_id_policy.bpf.c answers a read with
 * ctx->vm_id): nonzero, the same at every exit, and reported to the VMM, which compares
 * it with what libkvmexit reads (tests/vmm/policy_vm_id.c).
 */
#include "guest.h"
#include "policy_tests.h"

static uint64_t read_vm_id(void)
{
	return *(volatile uint64_t *)(TESTDEV_BASE + TESTDEV_DATA + VM_ID_READ);
}

int main(void)
{
	uint64_t id = read_vm_id();

	GUEST_ASSERT(id != 0);
	GUEST_ASSERT_EQ(read_vm_id(), id);
	testdev_write(TESTDEV_DATA + VM_ID_REPORT, id);
	return 0;
}
