/*
 * worker.cc - long-lived scenario threads (see worker.h for why and the
 * contract).
 */
#include "worker.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <pthread.h>

#include "../os/os.h"

namespace pollmatrix {

namespace {

/* Counts finished tasks down to zero for the caller that waits on them. */
class Latch {
public:
	explicit Latch(int count) : count_(count) {}
	void count_down()
	{
		std::lock_guard<std::mutex> lock(mutex_);
		if (--count_ == 0)
			done_.notify_all();
	}
	void wait()
	{
		std::unique_lock<std::mutex> lock(mutex_);
		done_.wait(lock, [this] { return count_ == 0; });
	}
	/* False when the count is still above zero after `ms`. */
	bool wait_for(int ms)
	{
		std::unique_lock<std::mutex> lock(mutex_);
		return done_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return count_ == 0; });
	}

private:
	std::mutex mutex_;
	std::condition_variable done_;
	int count_;
};

struct Task {
	const std::function<void(DescriptorTable &)> *body;
	Latch *latch;
	/* Keeps body and latch alive while the task runs, even when the
	 * caller stopped waiting for it (run_parallel()'s watch). */
	std::shared_ptr<void> keep;
};


class Worker {
public:
	explicit Worker(bool shared) : shared_(shared)
	{
		/* The thread starts with every signal blocked: it inherits this
		 * mask. Blocking them only inside loop() left a window in which
		 * a Ctrl-C could be delivered to the new thread instead of
		 * Node's. */
		sigset_t all, old;
		sigfillset(&all);
		pthread_sigmask(SIG_BLOCK, &all, &old);
		std::thread([this] { loop(); }).detach();
		pthread_sigmask(SIG_SETMASK, &old, nullptr);
	}

	void submit(Task task)
	{
		std::lock_guard<std::mutex> lock(mutex_);
		tasks_.push_back(task);
		wake_.notify_one();
	}

private:
	const bool shared_;
	std::mutex mutex_;
	std::condition_variable wake_;
	std::deque<Task> tasks_;

	void loop()
	{
		/* Signals go to Node's threads, never here (blocked since the
		 * thread was created): a handler could interrupt a step (EINTR
		 * would end a drain early). */
		DescriptorTable table = isolate();
		for (;;) {
			Task task;
			{
				std::unique_lock<std::mutex> lock(mutex_);
				wake_.wait(lock, [this] { return !tasks_.empty(); });
				task = tasks_.front();
				tasks_.pop_front();
			}
			(*task.body)(table);
			task.latch->count_down();
			task.keep.reset();
		}
	}

	/* The kernel under test says what this thread gets (os.h
	 * isolate_thread): on Linux a private descriptor table and, where
	 * allowed, a network namespace; in a rump kernel a process of its own.
	 * A shared-pool worker asks for nothing: the process's table and
	 * network, as the caller asked. */
	DescriptorTable isolate()
	{
		if (shared_) {
			DescriptorTable table(false, "a shared table was asked for");
			table.set_network("host", "a shared descriptor table was asked for, so the process's network too");
			return table;
		}
		os::ThreadIsolation got = os::isolate_thread();
		DescriptorTable table(got.private_table, got.why_shared);
		table.set_network(got.network, got.why_host_network);
		/* A private table may hold copies of what the thread had before
		 * (Linux: the host's descriptors; references only, their own
		 * tables keep every file open). */
		table.clear();
		return table;
	}

};

std::mutex workers_mutex;
/* The private pool ([0]) and the shared pool ([1]). Never freed: a worker
 * blocks on its queue until the process exits, and no destructor may run
 * under it at exit. */
Worker *workers[2][max_workers] = {};

Worker &worker(int index, bool shared)
{
	std::lock_guard<std::mutex> lock(workers_mutex);
	Worker *&slot = workers[shared][index];
	if (!slot)
		slot = new Worker(shared);
	return *slot;
}

/* The slot gets a fresh worker at its next use; the old one keeps its thread
 * and whatever job it is stuck in, and is never given work again. */
void retire_worker(int index, bool shared)
{
	std::lock_guard<std::mutex> lock(workers_mutex);
	workers[shared][index] = nullptr;
}

/* One run_parallel() call's state, shared with the tasks it submitted so
 * that it outlives a call that stopped waiting. */
struct Batch {
	Batch(size_t count, int workers, ParallelJob job) : count(count), job(std::move(job)), latch(workers) {}
	const size_t count;
	const ParallelJob job;
	std::atomic<size_t> next{0};
	std::atomic<bool> abandoned{false};
	std::vector<std::function<void(DescriptorTable &)>> bodies;
	Latch latch;
};

} // namespace

/* Read the network's state this often (in scenarios). */
constexpr unsigned check_every = 512;

void finish_scenario(DescriptorTable &table, bool clean)
{
	if (!clean)
		table.clear();
	/* Only workers call this, each for its own network. */
	static thread_local unsigned scenarios = 0;
	if (++scenarios % check_every != 0 || std::string("private") != table.network())
		return;
	std::string why;
	/* Still in the old network (merely crowded), or in a new one that
	 * could not be made usable: say so rather than run without loopback. */
	if (!os::refresh_network(&why))
		table.set_network("host", why);
}

void run_on_worker(int index, bool shared, const std::function<void(DescriptorTable &)> &body)
{
	Worker &w = worker(index % max_workers, shared);
	std::function<void(DescriptorTable &)> wrapped = [&](DescriptorTable &table) {
		body(table);
		finish_scenario(table);
	};
	Latch latch(1);
	w.submit({&wrapped, &latch, nullptr});
	latch.wait();
}

void run_in_table(const std::function<void(DescriptorTable &)> &body, bool want_shared, std::string *why_shared)
{
	run_on_worker(0, want_shared, [&](DescriptorTable &table) {
		*why_shared = table.why_shared();
		body(table);
	});
}

bool run_parallel(int workers, bool shared, size_t count, ParallelJob job, const std::function<bool()> &watch)
{
	if (workers < 1)
		workers = 1;
	if (workers > max_workers)
		workers = max_workers;
	if ((size_t)workers > count)
		workers = count > 0 ? (int)count : 1;
	auto batch = std::make_shared<Batch>(count, workers, std::move(job));
	Batch *b = batch.get();
	batch->bodies.reserve(workers);
	for (int k = 0; k < workers; k++) {
		batch->bodies.push_back([b, k](DescriptorTable &table) {
			for (size_t i; !b->abandoned && (i = b->next.fetch_add(1)) < b->count;)
				b->job(i, k, table);
		});
	}
	for (int k = 0; k < workers; k++)
		worker(k, shared).submit({&batch->bodies[k], &batch->latch, batch});
	if (!watch) {
		batch->latch.wait();
		return true;
	}
	while (!batch->latch.wait_for(watch_every_ms)) {
		if (watch())
			continue;
		/* A job outlived its bound: leave it. Workers still busy
		 * stop after their current job; all of them are retired, so
		 * no later call queues behind a stuck one. */
		batch->abandoned = true;
		for (int k = 0; k < workers; k++)
			retire_worker(k, shared);
		return false;
	}
	return true;
}

} // namespace pollmatrix
