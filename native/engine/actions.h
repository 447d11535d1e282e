/*
 * actions.h - the one list of step actions, with what each does. haproxy's
 * dev/poll/poll's twelve come first, in that tool's order; pollmatrix's
 * extensions follow. The addon exports this list; TypeScript keeps no copy.
 */
#pragma once

#include <cstdint>
#include <string>

namespace pollmatrix {

enum class Action : uint8_t {
	con, acc, snd, mor, rcv, drn, shr, shw, shb, lin, clo, pol,
	nbc, ful, oob, soe, opn, oil, arm,
};

constexpr int action_count = (int)Action::arm + 1;

/* A set of actions, one bit per Action. */
using ActionSet = uint32_t;

constexpr ActionSet action_bit(Action a)
{
	return (ActionSet)1 << (int)a;
}

const char *action_name(Action a);
/* One line on what the action does, for --help and the README. */
const char *action_does(Action a);
/* One of haproxy's dev/poll/poll actions (not a pollmatrix extension). */
bool action_is_haproxys(Action a);
bool parse_action(const std::string &word, Action *out);

} // namespace pollmatrix
