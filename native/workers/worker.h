/*
 * worker.h - long-lived scenario threads, each with its own descriptor table
 * and, where the OS allows it, its own network namespace.
 *
 * Why: a thread, unshare(CLONE_FILES) and close_range() per scenario cost
 * more than the scenario's own syscalls (perf: clone3/copy_process and the
 * join were about a quarter of a scenario's time), and a scenario's sockets in
 * the host's network namespace leave TIME_WAIT entries that make every later
 * bind() to port 0 hunt through a crowded port space (perf at 15k TIME_WAIT:
 * 97% of the time under inet_csk_get_port()).
 *
 * Contract, kept from descriptors.h: every scenario starts with nothing open
 * at 3 or above in its table, so its numbers start at 3 as in haproxy's
 * dev/poll/poll; whatever a scenario leaves open is reported as leaked by the
 * engine and then closed by the worker before the next scenario.
 *
 * Isolation is decided once per worker, when it starts, by the kernel under
 * test (os::isolate_thread; DescriptorTable says which was had, and why not):
 *   - descriptor table: private on Linux (unshare(CLONE_FILES)), in a rump
 *     kernel a process of the worker's own; else shared;
 *   - network: a private namespace on Linux when unshare(CLONE_NEWNET) is
 *     allowed (CAP_SYS_ADMIN), with `lo` brought up; else the host's. The
 *     TIME_WAIT entries a run leaves there are the namespace's own; when they
 *     pile up the worker moves to a fresh namespace, and the kernel drops the
 *     old one's entries with it (os::refresh_network). A rump kernel's
 *     network is the process's own.
 * Off Linux the workers run in the process's shared table and network.
 *
 * There are two pools. The private pool's workers isolate themselves as
 * above. The shared pool's workers never do: they run in the process's
 * descriptor table and network, for what needs the table the rest of the
 * process uses (an emulation layer or an LD_PRELOAD shim whose own threads
 * make or watch descriptors: `--descriptor-table shared`). A call picks its
 * pool with `shared`; the availability probe (probe.h) runs on the pool the
 * scenarios will use.
 */
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "../limits.h"
#include "descriptors.h"

namespace pollmatrix {

/* Runs `body` on long-lived worker number `index` (0-based; a worker starts
 * at first use and lives as long as the process) of the shared pool when
 * `shared`, else of the private pool, and waits for it. After the body the
 * worker closes whatever is still open at 3 or above in its table. */
void run_on_worker(int index, bool shared, const std::function<void(DescriptorTable &)> &body);

/* Runs `body` once on worker 0 of the pool `want_shared` picks: in a
 * private table where the OS gives one (descriptors.h), in the process's
 * shared table when `want_shared` or elsewhere. `why_shared` says why the
 * table is shared (empty when it is private). */
void run_in_table(const std::function<void(DescriptorTable &)> &body, bool want_shared, std::string *why_shared);

/* job(i, worker, table): job i on worker number `worker` (0-based, below
 * the number of workers of the call). */
using ParallelJob = std::function<void(size_t, int, DescriptorTable &)>;

/* How often run_parallel() calls its watch while it waits. */
constexpr int watch_every_ms = 20;

/* Runs job(i, ...) for every i in [0, count) on `workers` workers of the
 * pool `shared` picks at once and waits for all of them; each job runs on
 * one worker, in no particular order. A job calls finish_scenario() after each scenario it runs.
 *
 * With a `watch`, it is called about every watch_every_ms while the jobs
 * run; when it returns false (a job outlived its bound: a hang), the call
 * returns false at once. The jobs not yet started never start; one in
 * progress is left to its worker, which is retired (never given work
 * again; its slot gets a fresh worker). Everything `job` captured must
 * therefore be owned by it (a shared_ptr), not borrowed from the caller. */
bool run_parallel(int workers, bool shared, size_t count, ParallelJob job, const std::function<bool()> &watch = nullptr);

/* A worker's clean slate after a scenario: closes what is still open at 3 or
 * above in the table (unless `clean`: the engine's leak scan, which covers
 * every number a scenario can reach, found nothing), and moves to a fresh
 * network namespace when this one's TIME_WAIT entries piled up. */
void finish_scenario(DescriptorTable &table, bool clean = false);

/* How many workers run_parallel() may use at most. */
constexpr int max_workers = (int)limits::jobs.max;

} // namespace pollmatrix
