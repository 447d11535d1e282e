/*
 * engine.h - one scenario, run as haproxy's dev/poll/poll runs it, over any
 * transport.
 *
 * A scenario is haproxy's command line already split: a list of commands, each
 * aimed at one endpoint of the scenario's transport (-l, -c, -s for tcp; -r, -w
 * for a pipe...), each with its actions. run_scenario_on() executes every
 * step with no JavaScript in between and records one StepRecord per step,
 * implicit ones included. Which thread and descriptor table it runs on is
 * the workers' business (workers/runs.h).
 */
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../backends/backend.h"
#include "../backends/interest.h"
#include "../limits.h"
#include "../transports/transport.h"
#include "step.h"

namespace pollmatrix {

struct Scenario {
	const Transport *transport = nullptr;
	std::vector<Command> commands;
	/* What every `pol` asks for (backends/interest.h). */
	uint32_t interest = interest_default;
	/* Bound on a step that would block forever (limits.h). */
	int timeout_ms = (int)limits::timeout_ms.fallback;
	/* Run in the caller's shared descriptor table even where a private one
	 * can be had: how macOS and the BSDs always run, testable on Linux. */
	bool shared_table = false;
};

struct RunResult {
	std::vector<StepRecord> steps;
	/* Non-empty when the scenario stopped early, with the reason: haproxy's
	 * tool gives up when the implicit accept before -s fails. */
	std::string stopped;
	/* Non-empty when the endpoints could not even be set up (socket, bind,
	 * listen, pipe... failed); no step ran. */
	std::string setup_error;
	const char *descriptor_table = "shared";
	std::string why_shared;
	/* "private": the sockets lived in a network namespace of their own
	 * (workers/worker.h); "host": in the host's, for the reason given. */
	const char *network = "host";
	std::string why_host_network;
	/* Descriptors the scenario left open (after its own clean-up). */
	std::vector<int> leaked;
};

class DescriptorTable;
/* Runs `scenario` in `table` on the calling thread, whose signals are all
 * blocked (workers/runs.h runs it so). */
void run_scenario_on(const Scenario &scenario, DescriptorTable &table, RunResult &out);

} // namespace pollmatrix
