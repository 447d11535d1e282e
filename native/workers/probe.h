/*
 * probe.h - whether a backend can run where the scenarios run.
 *
 * A backend's probe (Backend::unavailable) makes and closes a descriptor or a
 * ring. It must run in the descriptor table the scenarios use, on a thread of
 * the pool they use (worker.h), not on the caller's: under an emulation layer
 * (a userspace kqueue whose own thread lives in the process's table) the
 * probe on Node's thread said "available" while every cell on a worker with
 * a private table came back "not measured (kqueue failed: EBADF)" (issue 16).
 */
#pragma once

#include "../backends/backend.h"

namespace pollmatrix {

/* Why `b` cannot run here, or nullptr, asked on worker 0 of the pool that
 * `shared_table` picks (worker.h). A positive answer is remembered per pool
 * for the process (run() asks once per command); a negative one is asked
 * again, in case it was passing (EMFILE). Call it from the JavaScript
 * thread, never from a worker. */
const char *backend_unavailable(const Backend *b, bool shared_table);

} // namespace pollmatrix
