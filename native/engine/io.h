/*
 * io.h - the I/O routines: the system calls of each action the step executor
 * (engine.cc) runs itself, one function per action, on the descriptor the
 * step acts on (a number certain to be closed when the endpoint is). Each
 * records what the call returned, and errno when it failed, in `rec`.
 * `socket` says whether the endpoint is a socket (send()/recv()/shutdown()
 * apply) or a pipe, FIFO, pty or file (write()/read()).
 * Not here: the actions whose meaning is the transport's (con, acc, nbc,
 * opn: transports/transport.h) and the backend's (pol, arm:
 * backends/backend.h).
 */
#pragma once

#include <functional>

#include "socket_timeout.h"
#include "step.h"

namespace pollmatrix {

/* `snd`: "foo", never blocking. */
void send_foo(int fd, bool socket, StepRecord &rec);
/* `mor`: "foo" with MSG_MORE where the OS has it (a note says when not). */
void send_more(int fd, StepRecord &rec);
/* `rcv`: up to 10 bytes, never blocking. */
void receive(int fd, bool socket, StepRecord &rec);
/* `drn`: everything until 0 or an error, waiting until `deadline` at most. */
void drain(int fd, bool socket, StepRecord &rec, Clock::time_point deadline);
/* `shr`, `shw`, `shb`: shutdown(2) with SHUT_RD, SHUT_WR, SHUT_RDWR. */
void shut(int fd, int how, StepRecord &rec);
/* `lin`: SO_LINGER {1, 0}, so the next close sends an RST. */
void linger_reset(int fd, StepRecord &rec);
/* `clo`: close(2). */
void close_descriptor(int fd, StepRecord &rec);
/* `ful`: write until the buffer is full; `deliver`, when given, lets what
 * is in flight arrive before a refusal is taken as final. */
void fill(int fd, bool socket, StepRecord &rec, const std::function<void()> &deliver = nullptr);
/* `oob`: one byte of urgent data. */
void send_urgent(int fd, StepRecord &rec);
/* `soe`: read (and so clear) SO_ERROR into rec.so_error. */
void read_so_error(int fd, StepRecord &rec);
/* `oil`: SO_OOBINLINE on. */
void oob_inline(int fd, StepRecord &rec);
/* `rve`: IP_RECVERR on (ENOPROTOOPT, with a note, where the OS has no
 * such option). */
void receive_errors(int fd, StepRecord &rec);
/* The socket options with a value: `lwm`, `sbf`, `rbf`, `dfr`. */
enum class SocketOption { receive_low_water, send_buffer, receive_buffer, defer_accept };
/* setsockopt(2) with `value`, then getsockopt(2): the note says what the
 * kernel reads back ("reads back 9216": Linux doubles a buffer size). An
 * option the OS does not have is not asked: ret -1, no errno, a note says
 * so (TCP_DEFER_ACCEPT is Linux's). */
void set_option(int fd, SocketOption option, long value, StepRecord &rec);
/* `dup`: a second descriptor for the same open file description
 * (fcntl(F_DUPFD_CLOEXEC), which is dup(2) plus close-on-exec); returns
 * it, or -1 with the errno in `rec`. */
int duplicate(int fd, StepRecord &rec);

} // namespace pollmatrix
