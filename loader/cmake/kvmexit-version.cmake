# SPDX-License-Identifier: LGPL-2.1 OR BSD-2-Clause
# KVMEXIT_VERSION, "MAJOR.MINOR", read from libkvmexit.h: the one place the version is set.
file(STRINGS "${CMAKE_CURRENT_LIST_DIR}/../lib/libkvmexit.h" KVMEXIT_VERSION_LINES
     REGEX "^#define LIBKVMEXIT_(MAJOR|MINOR)_VERSION")
string(REGEX REPLACE ".*MAJOR_VERSION\t*([0-9]+).*MINOR_VERSION\t*([0-9]+).*" "\\1.\\2"
       KVMEXIT_VERSION "${KVMEXIT_VERSION_LINES}")
