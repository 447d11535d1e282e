/*
 * actions.cc - names, origins and one-line meanings of the step actions,
 * from actions.def (actions.h).
 */
#include "actions.h"

namespace pollmatrix {

namespace {

struct ActionInfo {
	const char *name;
	bool haproxy;
	const char *does;
};

#define PM_FROM_haproxy true
#define PM_FROM_pollmatrix false

/* In Action's order: the same table made both. */
const ActionInfo actions[action_count] = {
#define PM_ACTION(name, origin, does) {#name, PM_FROM_##origin, does},
#include "actions.def"
#undef PM_ACTION
};

} // namespace

const char *action_name(Action a)
{
	return actions[(int)a].name;
}

bool action_is_haproxys(Action a)
{
	return actions[(int)a].haproxy;
}

const char *action_does(Action a)
{
	return actions[(int)a].does;
}

bool parse_action(const std::string &word, Action *out)
{
	for (int i = 0; i < action_count; i++)
		if (word == actions[i].name) {
			*out = (Action)i;
			return true;
		}
	return false;
}

} // namespace pollmatrix
