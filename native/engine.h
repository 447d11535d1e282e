/*
 * engine.h - one scenario, run as haproxy's dev/poll/poll runs it.
 *
 * A scenario is haproxy's command line already split: a list of commands, each
 * aimed at the listener (-l), the client (-c) or the accepted socket (-s), each
 * with its actions. run_scenario() executes every step with no JavaScript in
 * between and returns one StepRecord per step, implicit ones included.
 */
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "backend.h"

namespace pollmatrix {

enum class Action : uint8_t { con, acc, snd, mor, rcv, drn, shr, shw, shb, lin, clo, pol };

/* The endpoints haproxy names: listener, client, server side (accepted).
 * pollmatrix adds `u`: a TCP socket that is never connected implicitly, made
 * at its first command (so haproxy's scenarios keep their numbers). */
enum class Side : uint8_t { l, c, s, u };

const char *action_name(Action a);
bool parse_action(const std::string &word, Action *out);
char side_letter(Side s);
bool parse_side(const std::string &word, Side *out);

struct Command {
	Side side;
	std::vector<Action> actions;
	/* The mechanism this command's `pol` steps ask (haproxy's -e switches
	 * to epoll for the commands after it). */
	const Backend *backend;
};

struct Scenario {
	std::vector<Command> commands;
	/* Bound on a step that would block forever (accept with nothing
	 * pending, a drain whose peer never closes, a connect that never
	 * completes). */
	int timeout_ms = 1000;
	/* Run in the caller's shared descriptor table even where a private one
	 * can be had: how macOS and the BSDs always run, testable on Linux. */
	bool shared_table = false;
};

struct StepRecord {
	int cmd = 0;
	int stp = 0;
	Action action = Action::pol;
	Side side = Side::c;  /* the letter haproxy prints */
	int fd = -1;          /* the number haproxy prints */
	bool implicit = false;
	long ret = 0;
	int err = 0;          /* errno when the call failed, else 0 */
	/* The endpoint was closed earlier: the call went to acted_fd, a number
	 * certain to be closed, so it reports what the OS says for a closed
	 * descriptor (see descriptors.h). */
	bool endpoint_closed = false;
	int acted_fd = -1;
	/* The bounded wait ran out: the call would have blocked for good. */
	bool timed_out = false;
	std::string note;
	const Backend *backend = nullptr; /* pol only */
	Observation observation;          /* pol only */
};

struct RunResult {
	std::vector<StepRecord> steps;
	/* Non-empty when the scenario stopped early, with the reason: haproxy's
	 * tool gives up when the implicit accept before -s fails. */
	std::string stopped;
	/* Non-empty when sockets could not even be set up (socket, bind,
	 * listen failed); no step ran. */
	std::string setup_error;
	const char *descriptor_table = "shared";
	std::string why_shared;
	/* "private": the sockets lived in a network namespace of their own
	 * (worker.h); "host": in the host's, for the reason given. */
	const char *network = "host";
	std::string why_host_network;
	/* Descriptors the scenario left open (after its own clean-up). */
	std::vector<int> leaked;
};

RunResult run_scenario(const Scenario &scenario);

class DescriptorTable;
/* Runs `scenario` in `table` on the calling thread (worker.h calls it). */
void run_scenario_on(const Scenario &scenario, DescriptorTable &table, RunResult &out);

} // namespace pollmatrix
