/*
 * actions.cc - names, origins, values and one-line meanings of the step
 * actions, from actions.def (actions.h).
 */
#include "actions.h"

#include <cctype>

namespace pollmatrix {

namespace {

struct ActionInfo {
	const char *name;
	bool haproxy;
	ActionValue value;
	const char *does;
};

#define PM_FROM_haproxy true
#define PM_FROM_pollmatrix false

/* In Action's order: the same table made both. */
const ActionInfo actions[action_count] = {
#define PM_ACTION(name, origin, does) {#name, PM_FROM_##origin, {nullptr, 0, 0}, does},
#define PM_ACTION_WITH(name, origin, unit, min, max, does) {#name, PM_FROM_##origin, {unit, min, max}, does},
#include "actions.def"
#undef PM_ACTION_WITH
#undef PM_ACTION
};

/* "bytes from 0 to 1073741824" */
std::string value_range(const ActionValue &v)
{
	return std::string(v.unit) + " from " + std::to_string(v.min) + " to " + std::to_string(v.max);
}

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

ActionValue action_value(Action a)
{
	return actions[(int)a].value;
}

bool parse_action(const std::string &word, ActionStep *out, std::string *why)
{
	size_t eq = word.find('=');
	std::string name = word.substr(0, eq);
	int found = -1;
	for (int i = 0; i < action_count; i++)
		if (name == actions[i].name)
			found = i;
	if (found < 0) {
		*why = "is not an action";
		return false;
	}
	const ActionValue &v = actions[found].value;
	if (!v.unit) {
		if (eq != std::string::npos) {
			*why = "'" + name + "' takes no value";
			return false;
		}
		*out = {(Action)found, -1};
		return true;
	}
	std::string text = eq == std::string::npos ? "" : word.substr(eq + 1);
	bool digits = !text.empty() && text.size() <= 10;
	for (char c : text)
		digits = digits && isdigit((unsigned char)c);
	long value = digits ? std::stol(text) : -1;
	if (!digits || value < v.min || value > v.max) {
		*why = eq == std::string::npos ? "'" + name + "' needs a value: " + name + "=N, " + value_range(v)
		                               : "'" + word + "': the value must be " + value_range(v);
		return false;
	}
	*out = {(Action)found, value};
	return true;
}

std::string action_word(const ActionStep &step)
{
	std::string word = action_name(step.action);
	if (action_value(step.action).unit)
		word += "=" + std::to_string(step.value);
	return word;
}

} // namespace pollmatrix
