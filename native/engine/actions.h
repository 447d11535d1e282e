/*
 * actions.h - the step actions, made from the one table in actions.def: the
 * enum, its size, and for each action its name, its line for --help and
 * whether haproxy's dev/poll/poll has it. The addon exports the list
 * (napi/lists.cc); TypeScript keeps no copy.
 */
#pragma once

#include <cstdint>
#include <string>

namespace pollmatrix {

enum class Action : uint8_t {
#define PM_ACTION(name, origin, does) name,
#include "actions.def"
#undef PM_ACTION
};

constexpr int action_count = 0
#define PM_ACTION(name, origin, does) +1
#include "actions.def"
#undef PM_ACTION
	;

/* The command line's rule: every action is three letters. */
#define PM_ACTION(name, origin, does) static_assert(sizeof(#name) == 4, "action '" #name "' is not three letters");
#include "actions.def"
#undef PM_ACTION

/* A set of actions, one bit per Action. */
using ActionSet = uint64_t;
static_assert(action_count <= 64, "more actions than an ActionSet has bits");

constexpr ActionSet action_bit(Action a)
{
	return (ActionSet)1 << (int)a;
}

/* The actions any descriptor can do, whatever the transport: dup and swp
 * (engine.cc), frk and fcl (holder.h) need nothing but a number. */
constexpr ActionSet descriptor_actions = action_bit(Action::dup) | action_bit(Action::swp) |
                                         action_bit(Action::frk) | action_bit(Action::fcl);

/* The socket options that take a value (`lwm=5`), on any socket whose
 * family has them; `dfr` (TCP_DEFER_ACCEPT) is TCP's alone. */
constexpr ActionSet buffer_option_actions = action_bit(Action::lwm) | action_bit(Action::sbf) | action_bit(Action::rbf);

/* What an action's value is: none (unit nullptr), or a whole number from
 * min to max counting `unit`. */
struct ActionValue {
	const char *unit;
	long min;
	long max;
};

/* An action as a command gives it: `value` is -1 for an action that takes
 * none. */
struct ActionStep {
	Action action;
	long value = -1;
};

const char *action_name(Action a);
ActionValue action_value(Action a);
/* One line on what the action does, for --help and the README. */
const char *action_does(Action a);
/* One of haproxy's dev/poll/poll actions (not a pollmatrix extension). */
bool action_is_haproxys(Action a);
/* `name` or `name=N` (a value the action takes, within its bounds); false
 * with `why` set otherwise ("lwm needs a value: lwm=N, bytes from 0 to ..."). */
bool parse_action(const std::string &word, ActionStep *out, std::string *why);
/* The word for an action and its value, as a command gives it: "lwm=5". */
std::string action_word(const ActionStep &step);

} // namespace pollmatrix
