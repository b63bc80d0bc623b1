/* SPDX-License-Identifier: GPL-2.0 */
/* The bare-metal guest programs (tests/guest), built as flat binaries and embedded here. */
.macro	guest_image, name, file
	.section .rodata
	.balign	16
	.globl	guest_\name\()_start
guest_\name\()_start:
	.incbin	"\file"
	.globl	guest_\name\()_end
guest_\name\()_end:
.endm

	guest_image hvc_forward, "hvc_forward.bin"
	guest_image el2_hvc, "el2_hvc.bin"
	guest_image mmio, "mmio.bin"
	guest_image nisv, "nisv.bin"
	guest_image mmio_policy, "mmio_policy.bin"
	guest_image hvc_policy, "hvc_policy.bin"
	guest_image hvc_storm, "hvc_storm.bin"
	guest_image synth_sea, "synth_sea.bin"
	guest_image synth_ldst64b, "synth_ldst64b.bin"
	guest_image hvc_live, "hvc_live.bin"
	guest_image vncr, "vncr.bin"
	guest_image spi, "spi.bin"
	guest_image bench, "bench.bin"
	guest_image spin, "spin.bin"
	guest_image hvc_filter, "hvc_filter.bin"
	guest_image canonical, "canonical.bin"
	guest_image pl011, "pl011.bin"
	guest_image pl031, "pl031.bin"
	guest_image pl031_reset, "pl031_reset.bin"
	guest_image vm_id, "vm_id.bin"
	guest_image chain, "chain.bin"
	guest_image library, "library.bin"
	guest_image filter_isolation, "filter_isolation.bin"
	guest_image filter_stress, "filter_stress.bin"
	guest_image hvc_load, "hvc_load.bin"
	guest_image pvm_calls, "pvm_calls.bin"
	guest_image contract, "contract.bin"
	guest_image fastpath, "fastpath.bin"
	guest_image fastpath_shared, "fastpath_shared.bin"
	guest_image fastpath_spin, "fastpath_spin.bin"

	.section .note.GNU-stack, "", %progbits
