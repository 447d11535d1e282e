/*
 * result_key.cc - one string per distinct run result, so that repeated runs
 * of a scenario can be counted by outcome in native code and only the
 * distinct outcomes converted to JavaScript (runs.cc run_many()).
 *
 * The key holds every field of RunResult, StepRecord and Observation. Two
 * runs with the same key are the same result; a field left out would merge
 * runs that differ, so the sizes below stop the build when a field is added
 * and the key was not updated (checked where the sizes are known: glibc's
 * C++ library on x86-64).
 */
#include "result_key.h"

namespace pollmatrix {

#if defined(__GLIBCXX__) && defined(__x86_64__)
static_assert(sizeof(StepRecord) == 240, "StepRecord changed: add the new field to result_key()");
static_assert(sizeof(Observation) == 128, "Observation changed: add the new field to result_key()");
static_assert(sizeof(KeventRecord) == 40, "KeventRecord changed: add the new field to result_key()");
static_assert(sizeof(RunResult) == 192, "RunResult changed: add the new field to result_key()");
#endif

namespace {

/* Fixed width, so no two field sequences give the same bytes. */
void put(std::string &key, long long n)
{
	key.append((const char *)&n, sizeof(n));
}

void put(std::string &key, const std::string &s)
{
	put(key, (long long)s.size());
	key += s;
}

void put(std::string &key, const char *s)
{
	put(key, std::string(s ? s : "\x01"));
}

} // namespace

std::string result_key(const RunResult &r)
{
	std::string key;
	key.reserve(64 + r.steps.size() * 48);
	put(key, r.stopped);
	put(key, r.setup_error);
	put(key, r.descriptor_table);
	put(key, r.why_shared);
	put(key, r.network);
	put(key, r.why_host_network);
	put(key, (long long)r.leaked.size());
	for (int fd : r.leaked)
		put(key, fd);
	put(key, (long long)r.steps.size());
	for (const StepRecord &s : r.steps) {
		put(key, s.cmd);
		put(key, s.stp);
		put(key, (long long)s.action);
		put(key, s.value);
		put(key, s.slot);
		put(key, s.fd);
		put(key, s.implicit);
		put(key, s.ret);
		put(key, s.err);
		put(key, s.endpoint_closed);
		put(key, s.acted_fd);
		put(key, s.timed_out);
		put(key, s.settle_bound);
		put(key, s.so_error);
		put(key, s.note);
		put(key, s.backend ? s.backend->name : nullptr);
		const Observation &o = s.observation;
		put(key, o.ret);
		put(key, o.err);
		put(key, o.failed_call);
		put(key, (long long)o.raw);
		put(key, o.not_measured);
		put(key, o.note);
		put(key, (long long)o.ignored);
		put(key, (long long)o.kevents.size());
		for (const KeventRecord &k : o.kevents) {
			put(key, (long long)k.ident);
			put(key, k.filter);
			put(key, (long long)k.flags);
			put(key, (long long)k.fflags);
			put(key, (long long)k.data);
			put(key, k.fflags_is_errno);
			put(key, k.data_is_errno);
		}
	}
	return key;
}

} // namespace pollmatrix
