/*
 * portability.h - the few socket constants that differ between Linux, macOS
 * and the BSDs. Only the step executor includes it; nothing else needs to know.
 */
#pragma once

#include <sys/socket.h>

/* Linux and FreeBSD have MSG_NOSIGNAL; macOS has only the SO_NOSIGPIPE socket
 * option (setsockopt(2) on macOS), which the engine sets on every socket it
 * makes or accepts. Node ignores SIGPIPE too, but the engine must not rely on
 * its host for that. */
#ifdef MSG_NOSIGNAL
#define PM_MSG_NOSIGNAL MSG_NOSIGNAL
#else
#define PM_MSG_NOSIGNAL 0
#endif

/* MSG_MORE is Linux-only. Like haproxy's tool (which defines it to 0), `mor`
 * then sends without it, and the step says so in its note. */
#ifdef MSG_MORE
#define PM_MSG_MORE MSG_MORE
#define PM_HAVE_MSG_MORE 1
#else
#define PM_MSG_MORE 0
#define PM_HAVE_MSG_MORE 0
#endif
