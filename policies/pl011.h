/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The PL011 registers and bits pl011.bpf.c emulates (Arm PrimeCell UART PL011 TRM), shared
 * with the guests that drive it. Plain C: included by the policy and by its tests.
 */
#ifndef KVMEXIT_PL011_H
#define KVMEXIT_PL011_H

#define PL011_SIZE		0x1000
#define UARTDR			0x000
#define UARTRSR			0x004
#define UARTFR			0x018
#define UARTILPR		0x020
#define UARTIBRD		0x024
#define UARTFBRD		0x028
#define UARTLCR_H		0x02c
#define UARTCR			0x030
#define UARTIFLS		0x034
#define UARTIMSC		0x038
#define UARTRIS			0x03c
#define UARTMIS			0x040
#define UARTICR			0x044
#define UARTDMACR		0x048
#define UARTPERIPHID0		0xfe0	/* PeriphID0..3, then CellID0..3, one byte per word */

#define FR_RXFE			(1u << 4)
#define FR_TXFF			(1u << 5)
#define FR_RXFF			(1u << 6)
#define FR_TXFE			(1u << 7)
#define LCR_H_FEN		(1u << 4)
#define CR_UARTEN		(1u << 0)
#define CR_TXE			(1u << 8)
#define CR_RXE			(1u << 9)
#define INT_RX			(1u << 4)
#define INT_TX			(1u << 5)
#define INT_RT			(1u << 6)
#define INT_ALL			0x7ffu

#endif
