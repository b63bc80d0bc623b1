// SPDX-License-Identifier: GPL-2.0
/* kvmexit's JSON output, through json-c: no hand escaping, null where there is no value. */
#include <stdarg.h>
#include <stdio.h>

#include "json.h"

static int json_flags = -1;	/* -1: plain text output */

void json_output(bool on, bool pretty)
{
	json_flags = !on ? -1 : JSON_C_TO_STRING_NOSLASHESCAPE |
		     (pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED :
			       JSON_C_TO_STRING_PLAIN);
}

bool json_wanted(void)
{
	return json_flags >= 0;
}

void json_print(struct json_object *obj)
{
	puts(json_object_to_json_string_ext(obj, json_wanted() ? json_flags :
					    JSON_C_TO_STRING_PLAIN));
	json_object_put(obj);
}

struct json_object *json_string_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

void report(struct json_object *obj, const char *fmt, ...)
{
	va_list ap;

	if (json_wanted()) {
		json_print(obj);
		return;
	}
	json_object_put(obj);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}
