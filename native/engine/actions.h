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
using ActionSet = uint32_t;
static_assert(action_count <= 32, "more actions than an ActionSet has bits");

constexpr ActionSet action_bit(Action a)
{
	return (ActionSet)1 << (int)a;
}

/* The actions any descriptor can do, whatever the transport: dup and swp
 * (engine.cc), frk and fcl (holder.h) need nothing but a number. */
constexpr ActionSet descriptor_actions = action_bit(Action::dup) | action_bit(Action::swp) |
                                         action_bit(Action::frk) | action_bit(Action::fcl);

const char *action_name(Action a);
/* One line on what the action does, for --help and the README. */
const char *action_does(Action a);
/* One of haproxy's dev/poll/poll actions (not a pollmatrix extension). */
bool action_is_haproxys(Action a);
bool parse_action(const std::string &word, Action *out);

} // namespace pollmatrix
