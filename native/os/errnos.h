/*
 * errnos.h - the errno numbers of the kernel under test (os.h): their
 * symbolic names, their messages, and the few the engine tests itself.
 * Numbers and texts differ between kernels (ECONNREFUSED is 111 on Linux,
 * 61 on NetBSD); the name is what a bug report can compare. errno after an
 * os:: call is in the kernel's numbering, and so is what is recorded: the
 * host instance defines these from the host's <errno.h> (errnos.cc), the
 * rump instance from NetBSD's (rump_errnos.cc).
 */
#pragma once

namespace pollmatrix {

/* "ECONNREFUSED" for ECONNREFUSED; nullptr for a number this kernel does
 * not name. */
const char *errno_name(int number);

/* The kernel's own message for `number` (strerror(3) of that system). */
const char *errno_message(int number);

namespace err {

/* The numbers the engine compares errno with, or stores itself. Where two
 * names share a number (EWOULDBLOCK = EAGAIN on Linux and NetBSD) the one
 * here stands for both. */
extern const int again;      /* EAGAIN: a nonblocking call would block */
extern const int intr;       /* EINTR */
extern const int inprogress; /* EINPROGRESS: a nonblocking connect goes on */
extern const int already;    /* EALREADY: a connect is still going on */
extern const int msgsize;    /* EMSGSIZE: a record larger than the buffer */
extern const int noent;      /* ENOENT */
extern const int badf;       /* EBADF */
extern const int inval;      /* EINVAL */
extern const int opnotsupp;  /* EOPNOTSUPP */

} // namespace err

} // namespace pollmatrix
