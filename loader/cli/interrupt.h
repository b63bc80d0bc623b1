/* SPDX-License-Identifier: GPL-2.0 */
/* SIGINT and SIGTERM end kvmexit's long-running commands (stats --watch, console). */
#ifndef KVMEXIT_INTERRUPT_H
#define KVMEXIT_INTERRUPT_H

#include <signal.h>

/* Set once SIGINT or SIGTERM arrived, after catch_interrupts(). */
extern volatile sig_atomic_t interrupted;

/*
 * Catch SIGINT and SIGTERM without SA_RESTART: a read, write, poll or sleep they interrupt
 * returns early (EINTR), so a command blocked on a full pipe still ends.
 */
void catch_interrupts(void);

#endif
