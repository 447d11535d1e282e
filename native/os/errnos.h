/*
 * errnos.h - errno numbers to their symbolic names, from this OS's <errno.h>.
 * Numbers and strerror() texts differ between OSes; the name is what a bug
 * report can compare.
 */
#pragma once

namespace pollmatrix {

/* "ECONNREFUSED" for ECONNREFUSED; nullptr for a number this OS does not name. */
const char *errno_name(int number);

} // namespace pollmatrix
