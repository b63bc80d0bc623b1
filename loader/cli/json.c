// SPDX-License-Identifier: GPL-2.0
/* kvmexit's JSON output, through json-c: no hand escaping, null where there is no value. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The length of the valid UTF-8 sequence at @s (RFC 3629), or 0 if there is none. */
static size_t utf8_sequence(const unsigned char *s)
{
	size_t len, i;
	unsigned int c;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	c = s[0] & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, UTF-16 surrogates, beyond U+10FFFF. */
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return len;
}

struct json_object *json_text(const char *s)
{
	static const char replacement[] = "\xef\xbf\xbd";	/* U+FFFD */
	struct json_object *obj;
	size_t len = strlen(s), i, n, out = 0;
	char *valid = malloc(3 * len + 1);

	/* Bytes from /proc or argv need not be UTF-8, which JSON must be. */
	if (!valid)
		return json_object_new_string(s);
	for (i = 0; i < len; i += n ?: 1) {
		n = utf8_sequence((const unsigned char *)s + i);
		if (n) {
			memcpy(valid + out, s + i, n);
			out += n;
		} else {
			memcpy(valid + out, replacement, 3);
			out += 3;
		}
	}
	obj = json_object_new_string_len(valid, out);
	free(valid);
	return obj;
}

/* Append @n bytes of @s to @buf at *@out if they fit, with the NUL after them: whether so. */
static bool append(char *buf, size_t size, size_t *out, const char *s, size_t n)
{
	if (*out + n >= size)
		return false;
	memcpy(buf + *out, s, n);
	*out += n;
	buf[*out] = '\0';
	return true;
}

void text_escaped(const char *s, char *buf, size_t size)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t out = 0, n, i;
	char hex[5];
	bool fits = true;

	buf[0] = '\0';
	for (; *p && fits; p += n ?: 1) {
		n = utf8_sequence(p);
		/* C0 and C1 controls and DEL steer a terminal, and bytes that are not UTF-8 may. */
		if (n == 1 && *p == '\\') {
			fits = append(buf, size, &out, "\\\\", 2);
		} else if ((n == 1 && *p >= 0x20 && *p != 0x7f) ||
			   (n > 1 && !(n == 2 && p[0] == 0xc2 && p[1] < 0xa0))) {
			fits = append(buf, size, &out, (const char *)p, n);
		} else {
			for (i = 0; i < (n ?: 1) && fits; i++) {
				snprintf(hex, sizeof(hex), "\\x%02x", p[i]);
				fits = append(buf, size, &out, hex, 4);
			}
		}
	}
}

struct json_object *json_string_or_null(const char *s)
{
	return s ? json_text(s) : NULL;
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
