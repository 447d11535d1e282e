/*
 * Forced in front of each native source (g++ -include) by
 * test/portability.test.ts, with __linux__ undefined: the system headers are
 * included once here and then the Linux-only macros are taken away, so the
 * fallback branches that macOS takes (no MSG_NOSIGNAL, MSG_MORE, SOCK_CLOEXEC,
 * accept4() or POLLRDHUP; SO_NOSIGPIPE instead) are compiled on Linux.
 * Later includes of these headers are no-ops behind their include guards.
 */
#include <poll.h>
#include <sys/socket.h>

#undef MSG_NOSIGNAL
#undef MSG_MORE
#undef SOCK_CLOEXEC
#undef POLLRDHUP
#ifndef SO_NOSIGPIPE
#define SO_NOSIGPIPE 0x1022 /* macOS <sys/socket.h> */
#endif
