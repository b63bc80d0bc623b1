/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmexit's JSON output (--json, --pretty): objects built with json-c and printed on
 * stdout, one document per command (or per --watch round), errors included.
 */
#ifndef KVMEXIT_JSON_H
#define KVMEXIT_JSON_H

#include <json-c/json.h>
#include <stdbool.h>

/* Print @obj on stdout (indented if --pretty) and free it. */
void json_print(struct json_object *obj);
/* Output goes as JSON from now on if @on (indented if @pretty): errors too, see fail(). */
void json_output(bool on, bool pretty);
bool json_wanted(void);

/*
 * A command's result: the message (a line, printf-style) as text, or @obj as JSON. @obj is
 * freed either way.
 */
void report(struct json_object *obj, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A string, its bytes that are not UTF-8 made U+FFFD (one each). */
struct json_object *json_text(const char *s);
/* The same, or JSON null for NULL. */
struct json_object *json_string_or_null(const char *s);

/*
 * @s for a terminal, into @buf (cut short to fit; 4 times @s's length and the NUL always
 * fit): control characters (C0, DEL, C1) and bytes that are not UTF-8 as \xHH, a
 * backslash as \\, the rest as it is.
 */
void text_escaped(const char *s, char *buf, size_t size);

#endif
