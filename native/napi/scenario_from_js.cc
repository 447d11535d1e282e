/*
 * scenario_from_js.cc - a scenario from JavaScript (convert.h): every field
 * checked, by path, before a socket exists.
 */
#include <string>

#include "../backends/backend.h"
#include "../backends/interest.h"
#include "../limits.h"
#include "../transports/transport.h"
#include "../workers/probe.h"
#include "convert.h"

namespace pollmatrix {

namespace {

/* The interest names, space-separated, for the messages: "IN OUT PRI RDHUP". */
std::string interest_words()
{
	std::string words;
	for (const InterestName &name : interest_names)
		words += (words.empty() ? "" : " ") + std::string(name.name);
	return words;
}

/* The interest (backends/interest.h) from an array of names; false with `why` set. */
bool parse_interest(Napi::Value value, uint32_t *out, std::string *why)
{
	if (!value.IsArray()) {
		*why = "interest must be an array of names (" + interest_words() + ")";
		return false;
	}
	Napi::Array list = value.As<Napi::Array>();
	uint32_t mask = 0;
	for (uint32_t i = 0; i < list.Length(); i++) {
		Napi::Value v = list.Get(i);
		bool found = false;
		for (const InterestName &name : interest_names)
			if (v.IsString() && v.As<Napi::String>().Utf8Value() == name.name) {
				mask |= name.bit;
				found = true;
			}
		if (!found) {
			*why = "interest[" + std::to_string(i) + "] is not one of " + interest_words();
			return false;
		}
	}
	*out = mask;
	return true;
}

} // namespace

bool scenario_from_js(Napi::Env env, Napi::Value value, const std::string &entry, Scenario *out)
{
	Scenario &scenario = *out;
	const std::string prefix = entry.empty() ? "" : entry + ".";
	auto fail = [&](const std::string &message) {
		type_error(env, prefix + message);
		return false;
	};
	if (!value.IsObject()) {
		type_error(env, entry.empty() ? "run() takes a scenario object" : entry + " must be a scenario object");
		return false;
	}
	Napi::Object in = value.As<Napi::Object>();

	Napi::Value timeout = in.Get("timeoutMs");
	if (!timeout.IsUndefined()) {
		if (!timeout.IsNumber())
			return fail("timeoutMs must be a number");
		double ms = timeout.As<Napi::Number>().DoubleValue();
		if (!(ms >= limits::timeout_ms.min && ms <= limits::timeout_ms.max))
			return fail("timeoutMs must be between " + std::to_string(limits::timeout_ms.min) + " and " +
			            std::to_string(limits::timeout_ms.max));
		scenario.timeout_ms = (int)ms;
	}
	Napi::Value shared = in.Get("sharedTable");
	if (!shared.IsUndefined()) {
		if (!shared.IsBoolean())
			return fail("sharedTable must be a boolean");
		scenario.shared_table = shared.As<Napi::Boolean>().Value();
	}
	Napi::Value transport = in.Get("transport");
	std::string tname = transport.IsUndefined()  ? limits::default_transport
	                    : transport.IsString() ? transport.As<Napi::String>().Utf8Value()
	                                           : "";
	scenario.transport = find_transport(tname);
	if (!scenario.transport)
		return fail("transport: unknown transport '" + tname + "'");
	if (const char *why = transport_unavailable(scenario.transport))
		return fail("transport: " + tname + " is not available here: " + why);
	Napi::Value interest = in.Get("interest");
	if (!interest.IsUndefined()) {
		std::string why;
		if (!parse_interest(interest, &scenario.interest, &why))
			return fail(why);
	}
	Napi::Value commands = in.Get("commands");
	if (!commands.IsArray())
		return fail("commands must be an array");
	Napi::Array list = commands.As<Napi::Array>();
	for (uint32_t i = 0; i < list.Length(); i++) {
		std::string where = "commands[" + std::to_string(i) + "]";
		Napi::Value item = list.Get(i);
		if (!item.IsObject())
			return fail(where + " must be an object");
		Napi::Object c = item.As<Napi::Object>();
		Command command;
		Napi::Value side = c.Get("side");
		std::string letter = side.IsString() ? side.As<Napi::String>().Utf8Value() : "";
		command.slot = letter.size() == 1 ? transport_slot(scenario.transport, letter[0]) : -1;
		if (command.slot < 0)
			return fail(where + ".side must be one of " + tname + "'s letters (" +
			                                 scenario.transport->letters + ")");
		Napi::Value backend = c.Get("backend");
		if (!backend.IsString())
			return fail(where + ".backend must be a backend name");
		std::string bname = backend.As<Napi::String>().Utf8Value();
		command.backend = find_backend(bname);
		if (!command.backend)
			return fail(where + ".backend: unknown backend '" + bname + "'");
		if (const char *why = backend_unavailable(command.backend, scenario.shared_table))
			return fail(where + ".backend: " + bname + " is not available here: " + why);
		Napi::Value actions = c.Get("actions");
		if (!actions.IsArray())
			return fail(where + ".actions must be an array of action names");
		Napi::Array names = actions.As<Napi::Array>();
		for (uint32_t j = 0; j < names.Length(); j++) {
			Napi::Value w = names.Get(j);
			std::string at = where + ".actions[" + std::to_string(j) + "]";
			ActionStep a;
			std::string why;
			if (!w.IsString())
				return fail(at + " is not an action");
			if (!parse_action(w.As<Napi::String>().Utf8Value(), &a, &why))
				return fail(at + (why.front() == '\'' ? ": " : " ") + why);
			if (!(scenario.transport->actions & action_bit(a.action)))
				return fail(at + ": " + tname + " cannot do " + action_name(a.action));
			command.actions.push_back(a);
		}
		scenario.commands.push_back(command);
	}

	return true;
}

} // namespace pollmatrix
