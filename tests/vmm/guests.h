/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMEXIT_GUESTS_H
#define KVMEXIT_GUESTS_H

#include "scenario.h"

#define DECLARE_GUEST(name)							\
	extern const unsigned char guest_##name##_start[], guest_##name##_end[];	\
	static const struct guest_image guest_##name = {			\
		guest_##name##_start, guest_##name##_end			\
	}

#endif
