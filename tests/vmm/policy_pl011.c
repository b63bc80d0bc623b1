// SPDX-License-Identifier: GPL-2.0
/*
 * The console UART of policies/pl011.bpf.c, driven by a bare-metal guest
 * (tests/guest/pl011.c): no access to it reaches the VMM; what the guest transmitted
 * arrives, byte for byte, in the policy's ring buffer; the input queued here in its user
 * ring buffer reaches the guest, and so does input handed over while the guest waits in
 * WFI, through the policy's console_input program (run here as kvmexit console runs it);
 * the policy raised and lowered the SPI exactly as often as the guest took the interrupt;
 * KVM counted every register access the policy emulated.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "guests.h"
#include "policy.h"
#include "policy_tests.h"
#include "testdev.h"
#include "pl011.skel.h"

DECLARE_GUEST(pl011);

static struct pl011 *skel;
static struct bpf_link *link;
static char output[PL011_RING_RECORDS];
static size_t output_len;

static void queue_input(const char *s)
{
	struct user_ring_buffer *in;
	void *sample;

	in = user_ring_buffer__new(bpf_map__fd(skel->maps.console_in), NULL);
	if (!in)
		die("pl011: console_in: %s", strerror(errno));
	for (; *s; s++) {
		sample = user_ring_buffer__reserve(in, 1);
		if (!sample)
			die("pl011: console_in: reserve: %s", strerror(errno));
		*(char *)sample = *s;
		user_ring_buffer__submit(in, sample);
	}
	user_ring_buffer__free(in);
}

static void pl011_setup(struct scenario_ctx *ctx)
{
	skel = policy_open(pl011, ctx->vm.fd);
	/* Not its defaults (QEMU's, which the qemu suite uses): the parameters must work. */
	skel->rodata->pl011_base = PL011_TEST_BASE;
	skel->rodata->pl011_spi = PL011_TEST_SPI;
	policy_load_opened(pl011, skel);
	link = policy_attach(skel->maps.pl011);
	/* As libkvmexit does: console_input's kfunc reaches the VM of this map. */
	if (bpf_program__assoc_struct_ops(skel->progs.console_input, skel->maps.pl011, NULL))
		die("pl011: associating console_input: %s", strerror(errno));
	queue_input(PL011_TEST_RX);
}

/* The guest waits for input: hand it over, and run console_input as kvmexit console does. */
static bool send_input(struct scenario_ctx *ctx)
{
	LIBBPF_OPTS(bpf_test_run_opts, run);
	int err;

	queue_input(PL011_TEST_RX_IDLE);
	err = bpf_prog_test_run_opts(bpf_program__fd(skel->progs.console_input), &run);
	if (err || run.retval)
		return scenario_fail(ctx, "console_input: %s, returned %d",
				     strerror(err ? errno : 0), (int)run.retval);
	return true;
}

static bool pl011_exit(struct scenario_ctx *ctx)
{
	struct kvm_run *run = ctx->vcpu.run;
	char what[256];

	if (run->exit_reason == KVM_EXIT_MMIO && run->mmio.is_write &&
	    run->mmio.phys_addr == TESTDEV_BASE + TESTDEV_DATA + PL011_TEST_SEND)
		return send_input(ctx);
	describe_exit(&ctx->vcpu, what, sizeof(what));
	return scenario_fail(ctx, "unexpected exit %s: the policy emulates the UART", what);
}

static int collect_output(void *unused, void *data, size_t size)
{
	if (output_len + size > sizeof(output))
		return -E2BIG;
	memcpy(output + output_len, data, size);
	output_len += size;
	return 0;
}

static bool check_output(struct scenario_ctx *ctx)
{
	const char *want = PL011_TEST_TX;
	struct ring_buffer *out;
	int n;

	out = ring_buffer__new(bpf_map__fd(skel->maps.console_out), collect_output, NULL, NULL);
	if (!out)
		return scenario_fail(ctx, "console_out: %s", strerror(errno));
	n = ring_buffer__consume(out);
	ring_buffer__free(out);
	if (n < 0)
		return scenario_fail(ctx, "console_out: %s", strerror(-n));
	/* The bytes sent, then the fill, up to what the ring holds. */
	if (output_len != PL011_RING_RECORDS || memcmp(output, want, strlen(want)))
		return scenario_fail(ctx, "the ring buffer has %zu bytes \"%.*s...\", expected %d "
				     "starting \"%s\"", output_len, (int)strlen(want), output,
				     PL011_RING_RECORDS, want);
	for (n = strlen(want); n < PL011_RING_RECORDS; n++) {
		if (output[n] != PL011_FILL_BYTE)
			return scenario_fail(ctx, "ring buffer byte %d is %#x, expected the fill",
					     n, output[n]);
	}
	return true;
}

static bool pl011_check(struct scenario_ctx *ctx)
{
	const struct pl011__bss *bss = skel->bss;
	/* The guest's TX interrupts: one at unmask, one per byte; then two RX interrupts. */
	uint64_t irqs = 1 + strlen(PL011_TEST_TX) + 2;
	size_t rx_bytes = strlen(PL011_TEST_RX) + strlen(PL011_TEST_RX_IDLE);
	uint64_t handled = policy_stat(ctx, "mmio", "handled");
	uint64_t defaulted = policy_stat(ctx, "mmio", "defaulted");

	if (!check_output(ctx))
		return false;
	if (bss->last_error)
		return scenario_fail(ctx, "bpf_kvm_exit_set_spi() failed: %s",
				     strerror(-bss->last_error));
	/* What did not fit in console_out is counted, exactly. */
	if (bss->tx_bytes != PL011_RING_RECORDS ||
	    bss->tx_dropped != strlen(PL011_TEST_TX) + PL011_TEST_FILL - PL011_RING_RECORDS ||
	    bss->rx_bytes != rx_bytes)
		return scenario_fail(ctx, "the policy counted tx %llu dropped %llu rx %llu, expected "
				     "%d %zu %zu", (unsigned long long)bss->tx_bytes,
				     (unsigned long long)bss->tx_dropped,
				     (unsigned long long)bss->rx_bytes, PL011_RING_RECORDS,
				     strlen(PL011_TEST_TX) + PL011_TEST_FILL - PL011_RING_RECORDS,
				     rx_bytes);
	if (bss->irq_raised != irqs || bss->irq_lowered != irqs)
		return scenario_fail(ctx, "the SPI was raised %llu and lowered %llu times, expected %llu",
				     (unsigned long long)bss->irq_raised,
				     (unsigned long long)bss->irq_lowered, (unsigned long long)irqs);
	/* Every UART access was emulated; every other MMIO exit (the testdev) left to us. */
	if (handled != bss->accesses || defaulted != ctx->exits[KVM_EXIT_MMIO] ||
	    policy_stat(ctx, "mmio", "to_user") || policy_stat(ctx, "mmio", "errors"))
		return scenario_fail(ctx, "exit_bpf_mmio_handled %llu (policy: %llu accesses), "
				     "defaulted %llu (VMM: %u MMIO exits)",
				     (unsigned long long)handled,
				     (unsigned long long)bss->accesses,
				     (unsigned long long)defaulted, ctx->exits[KVM_EXIT_MMIO]);
	printf("testvmm: %s: %llu UART accesses in BPF, %llu interrupts, %zu bytes out, %zu in\n",
	       ctx->scenario->name, (unsigned long long)handled, (unsigned long long)irqs,
	       output_len, rx_bytes);
	return true;
}

static void pl011_cleanup(struct scenario_ctx *ctx)
{
	bpf_link__destroy(link);
	pl011__destroy(skel);
}

const struct scenario scenario_policy_pl011 = {
	.name = "policy-pl011",
	.description = "a PL011 console UART emulated by policies/pl011.bpf.c",
	.guest = &guest_pl011,
	.setup = pl011_setup,
	.handle_exit = pl011_exit,
	.check = pl011_check,
	.cleanup = pl011_cleanup,
};
