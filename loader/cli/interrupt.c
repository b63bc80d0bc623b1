// SPDX-License-Identifier: GPL-2.0
#include <stddef.h>

#include "interrupt.h"

volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = 1;
}

void catch_interrupts(void)
{
	struct sigaction sa = { .sa_handler = on_signal };	/* sa_flags 0: no SA_RESTART */

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}
