/*
 * harness.cc - runs the kqueue backends (native/backends/kqueue.cc, found
 * through the real list.cc) on Linux, linked against a fake
 * kqueue()/kqueuex()/kqueue1()/kevent() that follows kqueue(2) for the parts
 * the backends rely on, and prints what the backend did as one JSON object.
 *
 * The fake kevent() handles changes the way XNU kevent_internal() and FreeBSD
 * kqueue_kevent() do: a change that fails, or carries EV_RECEIPT, is written
 * to the eventlist with EV_ERROR and data = errno while there is room (FreeBSD
 * sets flags to EV_ERROR; XNU since 2017 ORs it in: "xnu" scenarios); a
 * failure with no room makes kevent() return -1. When no such entry was
 * written and slots remain, it "scans": it returns, in registration order,
 * the enabled registrations of that kqueue whose condition (the scenario's
 * pending events) holds. After delivery an EV_CLEAR registration stays quiet
 * until the condition changes (`new`) or it is added again; EV_ONESHOT is
 * deleted; EV_DISPATCH is disabled until EV_ENABLE (kqueue(2)). EV_ADD of an
 * existing registration modifies it and runs the filter again. Deleting or
 * enabling an unregistered filter fails with ENOENT; adding one for a
 * descriptor that is not open fails with EBADF. close() of the endpoint
 * removes its registrations ("Calling close() on a file descriptor will
 * remove any kevents that reference the descriptor").
 *
 * Usage: harness <scenario> [backend [interest [ops]]]
 *   backend   kqueue (default), kqueue-clear, kqueue-oneshot, kqueue-dispatch
 *   interest  IN,OUT,PRI,RDHUP words joined by commas, or "none"; default
 *             haproxy's IN,OUT,RDHUP
 *   ops       comma-separated steps on the endpoint (default pol,pol): pol,
 *             arm, clo (close it: its registrations go, later steps act on a
 *             closed number), reopen (open again under the same number, a new
 *             generation), new (the pending condition changes: new data)
 * Build with test/kq-compile first on the include path and one PM_FAKE_*
 * macro (see sys/event.h).
 */
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/types.h>
#include <sys/event.h>
#include <time.h>
#include <unistd.h>

#include "../../native/backends/backend.h"
#include "../../native/backends/interest.h"

using namespace pollmatrix;

namespace {

const int observed_fd = 7;
const int foreign_fd = 5;
/* Where a closed endpoint's steps act: a number certain to be closed. */
const int closed_fd = 1000;

struct Script {
	int kqueue_errno = 0;         /* every way of making a kqueue fails with this */
	int add_call_errno = 0;       /* the EV_ADD kevent() fails as a whole */
	int add_errno[3] = {0, 0, 0}; /* per filter (READ, WRITE, EXCEPT): failed EV_ADD */
	int delete_errno[3] = {0, 0, 0};
	bool xnu_receipts = false;    /* flags |= EV_ERROR instead of = EV_ERROR */
	bool foreign = false;         /* a registration for another ident, ready */
	std::vector<struct kevent> pending;
};

struct Call {
	int kq;
	std::vector<struct kevent> changes;
	long nevents;
	std::string timeout;
	long ret;
};

struct Knote {
	int kq;
	uintptr_t ident;
	int filter;
	unsigned flags;
	unsigned fflags;
	bool enabled;
	bool delivered; /* EV_CLEAR: reported since the condition last changed */
};

Script script;
std::vector<Call> calls;
std::vector<Knote> knotes;
std::vector<int> kqs;             /* every kqueue made, in order */
std::vector<std::string> creates; /* which call made each */
bool endpoint_open = true;
bool inject_foreign = false;

int filter_index(int filter)
{
	if (filter == (int)EVFILT_READ)
		return 0;
	if (filter == (int)EVFILT_WRITE)
		return 1;
#ifdef EVFILT_EXCEPT
	if (filter == (int)EVFILT_EXCEPT)
		return 2;
#endif
	return -1;
}

bool has_receipt(const struct kevent &k)
{
#ifdef EV_RECEIPT
	return (k.flags & EV_RECEIPT) != 0;
#else
	(void)k;
	return false;
#endif
}

unsigned mode_bits()
{
	unsigned bits = EV_CLEAR | EV_ONESHOT;
#ifdef EV_DISPATCH
	bits |= EV_DISPATCH;
#endif
	return bits;
}

struct kevent event(uintptr_t ident, int filter, unsigned flags, unsigned fflags, long data)
{
	struct kevent k = {};
	EV_SET(&k, ident, filter, flags, fflags, data, 0);
	return k;
}

Knote *find(int kq, uintptr_t ident, int filter)
{
	for (Knote &k : knotes)
		if (k.kq == kq && k.ident == ident && k.filter == filter)
			return &k;
	return nullptr;
}

const struct kevent *condition(uintptr_t ident, int filter)
{
	for (const struct kevent &p : script.pending)
		if (p.ident == ident && (int)p.filter == filter)
			return &p;
	return nullptr;
}

bool ident_open(uintptr_t ident)
{
	return ident == (uintptr_t)foreign_fd || (ident == (uintptr_t)observed_fd && endpoint_open);
}

int apply(int kq, const struct kevent &c)
{
	int s = filter_index((int)c.filter);
	if (s < 0)
		return EINVAL;
	Knote *k = find(kq, c.ident, (int)c.filter);
	if (c.flags & EV_ADD) {
		if (script.add_errno[s])
			return script.add_errno[s];
		if (!ident_open(c.ident))
			return EBADF;
		if (!k) {
			knotes.push_back(Knote{kq, c.ident, (int)c.filter, (unsigned)c.flags, (unsigned)c.fflags, true, false});
		} else {
			k->flags = (unsigned)c.flags;
			k->fflags = (unsigned)c.fflags;
			k->enabled = true;
			k->delivered = false; /* the filter runs again */
		}
		return 0;
	}
	if (c.flags & EV_DELETE) {
		if (script.delete_errno[s])
			return script.delete_errno[s];
		if (!k)
			return ENOENT;
		knotes.erase(knotes.begin() + (k - knotes.data()));
		return 0;
	}
	if (c.flags & EV_ENABLE) {
		if (!k)
			return ENOENT;
		k->enabled = true;
		return 0;
	}
	return EINVAL;
}

long fake_kevent(int kq, const struct kevent *changes, long nchanges, struct kevent *events, long nevents)
{
	bool known = false;
	for (int k : kqs)
		known = known || k == kq;
	if (!known || fcntl(kq, F_GETFD) < 0) {
		errno = EBADF;
		return -1;
	}
	if (nchanges > 0 && (changes[0].flags & EV_ADD) && script.add_call_errno) {
		errno = script.add_call_errno;
		return -1;
	}
	long out = 0;
	for (long i = 0; i < nchanges; i++) {
		const struct kevent &c = changes[i];
		int err = apply(kq, c);
		if ((err != 0 || has_receipt(c)) && out < nevents) {
			events[out] = c;
			events[out].flags = script.xnu_receipts ? (c.flags | EV_ERROR) : EV_ERROR;
			events[out].data = err;
			out++;
		} else if (err != 0) {
			errno = err;
			return -1;
		}
	}
	if (out != 0)
		return out;
	for (size_t i = 0; i < knotes.size() && out < nevents;) {
		Knote &k = knotes[i];
		const struct kevent *p = condition(k.ident, k.filter);
		bool clear = (k.flags & EV_CLEAR) != 0;
		if (k.kq != kq || !k.enabled || !p || (clear && k.delivered)) {
			i++;
			continue;
		}
		events[out] = *p;
		events[out].flags = (unsigned)p->flags | (k.flags & mode_bits());
		out++;
		if (k.flags & EV_ONESHOT) {
			knotes.erase(knotes.begin() + i);
			continue;
		}
#ifdef EV_DISPATCH
		if (k.flags & EV_DISPATCH)
			k.enabled = false;
#endif
		k.delivered = true;
		i++;
	}
	return out;
}

int made(const char *how, bool cloexec)
{
	if (script.kqueue_errno) {
		errno = script.kqueue_errno;
		return -1;
	}
	int fd = open("/dev/null", O_RDONLY | (cloexec ? O_CLOEXEC : 0));
	kqs.push_back(fd);
	creates.push_back(how);
	if (inject_foreign) {
		/* A registration left for another descriptor, ready. */
		inject_foreign = false;
		knotes.push_back(Knote{fd, (uintptr_t)foreign_fd, (int)EVFILT_READ, EV_ADD, 0, true, false});
	}
	return fd;
}

void print_observation(const std::string &op, const Observation &o)
{
	printf("{\"op\":\"%s\",\"ret\":%ld,\"err\":%d,\"failedCall\":", op.c_str(), o.ret, o.err);
	if (o.failed_call)
		printf("\"%s\"", o.failed_call);
	else
		printf("null");
	printf(",\"raw\":%u,\"notMeasured\":\"%s\",\"note\":\"%s\",\"ignored\":%ld,\"kevents\":[", o.raw,
	       o.not_measured.c_str(), o.note.c_str(), o.ignored);
	for (size_t i = 0; i < o.kevents.size(); i++) {
		const KeventRecord &k = o.kevents[i];
		printf("%s{\"ident\":%llu,\"filter\":%d,\"flags\":%u,\"fflags\":%u,\"data\":%lld,"
		       "\"fflagsIsErrno\":%s,\"dataIsErrno\":%s}",
		       i ? "," : "", (unsigned long long)k.ident, (int)k.filter, (unsigned)k.flags, (unsigned)k.fflags,
		       (long long)k.data, k.fflags_is_errno ? "true" : "false", k.data_is_errno ? "true" : "false");
	}
	printf("]}");
}

bool descriptor_open(int fd)
{
	return fd >= 0 && fcntl(fd, F_GETFD) != -1;
}

bool cloexec(int fd)
{
	int flags = fcntl(fd, F_GETFD);
	return flags != -1 && (flags & FD_CLOEXEC) != 0;
}

bool set_scenario(const std::string &name)
{
	const uintptr_t fd = observed_fd;
	if (name == "events") {
		/* READ: peer reset, errno in fflags (ECONNRESET); WRITE: EOF. */
		script.pending = {event(fd, EVFILT_READ, EV_ADD | EV_EOF, ECONNRESET, 0),
		                  event(fd, EVFILT_WRITE, EV_ADD | EV_EOF, 0, 8192)};
	} else if (name == "readable") {
		script.pending = {event(fd, EVFILT_READ, EV_ADD, 0, 3), event(fd, EVFILT_WRITE, EV_ADD, 0, 8192)};
	} else if (name == "oob") {
		/* Out-of-band data pending: EVFILT_EXCEPT reports it where it
		 * exists. */
		script.pending = {event(fd, EVFILT_READ, EV_ADD, 0, 3)};
#ifdef EVFILT_EXCEPT
		script.pending.push_back(event(fd, EVFILT_EXCEPT, EV_ADD, NOTE_OOB, 1));
#endif
	} else if (name == "receipt-errors" || name == "receipt-errors-xnu") {
		script.add_errno[0] = EBADF;
		script.add_errno[1] = EPIPE;
		script.xnu_receipts = name == "receipt-errors-xnu";
		script.pending = {event(fd, EVFILT_READ, EV_ADD, 0, 3)};
	} else if (name == "one-filter-fails") {
		/* mio#582: EPIPE registering a pipe whose peer is gone, while the
		 * other filter still reports. */
		script.add_errno[1] = EPIPE;
		script.pending = {event(fd, EVFILT_READ, EV_ADD | EV_EOF, 0, 0),
		                  event(fd, EVFILT_WRITE, EV_ADD | EV_EOF, 0, 0)};
	} else if (name == "add-call-fails") {
		script.add_call_errno = ENOMEM;
		script.pending = {event(fd, EVFILT_READ, EV_ADD, 0, 3)};
	} else if (name == "delete-fails") {
		script.delete_errno[0] = EINVAL;
		script.pending = {event(fd, EVFILT_READ, EV_ADD, 0, 3)};
	} else if (name == "kqueue-fails") {
		script.kqueue_errno = EMFILE;
	} else if (name == "foreign-ident") {
		script.foreign = true;
		script.pending = {event(fd, EVFILT_READ, EV_ADD, 0, 3),
		                  event((uintptr_t)foreign_fd, EVFILT_READ, EV_ADD, 0, 9)};
	} else if (name == "foreign-ident-only") {
		/* Nothing for the polled descriptor: kevent() returns 1, the
		 * foreign one (issue 16's "ret=1 ev=0"). */
		script.foreign = true;
		script.pending = {event((uintptr_t)foreign_fd, EVFILT_READ, EV_ADD, 0, 9)};
	} else {
		return false;
	}
	return true;
}

uint32_t parse_interest(const std::string &text, bool &ok)
{
	ok = true;
	if (text == "none")
		return 0;
	uint32_t mask = 0;
	size_t start = 0;
	while (start <= text.size()) {
		size_t end = text.find(',', start);
		std::string word = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
		bool found = false;
		for (const InterestName &n : interest_names)
			if (word == n.name) {
				mask |= n.bit;
				found = true;
			}
		ok = ok && found;
		if (end == std::string::npos)
			break;
		start = end + 1;
	}
	return mask;
}

std::vector<std::string> split(const std::string &text)
{
	std::vector<std::string> out;
	size_t start = 0;
	for (;;) {
		size_t end = text.find(',', start);
		out.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
		if (end == std::string::npos)
			return out;
		start = end + 1;
	}
}

void print_string_or_null(const char *s)
{
	if (s)
		printf("\"%s\"", s);
	else
		printf("null");
}

} // namespace

extern "C" int kqueue(void)
{
	return made("kqueue", false);
}

#if defined(PM_FAKE_FREEBSD)
extern "C" int kqueuex(unsigned flags)
{
	return made("kqueuex", (flags & KQUEUE_CLOEXEC) != 0);
}
#endif

#if defined(PM_FAKE_FREEBSD) || defined(PM_FAKE_NETBSD)
extern "C" int kqueue1(int flags)
{
	return made("kqueue1", (flags & O_CLOEXEC) != 0);
}
#endif

extern "C" int kevent(int kq, const struct kevent *changelist, pm_fake_count_t nchanges, struct kevent *eventlist,
                      pm_fake_count_t nevents, const struct timespec *timeout)
{
	Call call;
	call.kq = kq;
	for (long i = 0; i < (long)nchanges; i++)
		call.changes.push_back(changelist[i]);
	call.nevents = (long)nevents;
	if (!timeout)
		call.timeout = "null";
	else if (timeout->tv_sec == 0 && timeout->tv_nsec == 0)
		call.timeout = "zero";
	else
		call.timeout = "other";
	call.ret = fake_kevent(kq, changelist, (long)nchanges, eventlist, (long)nevents);
	calls.push_back(call);
	return (int)call.ret;
}

/* `harness interest BACKEND`: the backend's interest mapping as the addon
 * exports it (napi/lists.cc), as a JSON array of {name, asks, note}, with
 * what interest_refused() says of each bit asked alone. */
int print_interest(const Backend *b)
{
	auto text = [](const char *s) { return s ? "\"" + std::string(s) + "\"" : std::string("null"); };
	printf("[");
	for (size_t i = 0; i < interest_count; i++) {
		const InterestName &n = interest_names[i];
		const InterestMapping *m = interest_mapping(b->interest_map, b->ninterest, n.bit);
		const InterestMapping *refused = interest_refused(b, n.bit);
		printf("%s{\"name\":\"%s\",\"asks\":%s,\"note\":%s,\"refused\":%s}", i ? "," : "", n.name,
		       text(m ? m->asks : nullptr).c_str(), text(m ? m->note : nullptr).c_str(),
		       text(refused ? refused->note : nullptr).c_str());
	}
	printf("]\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && std::string(argv[1]) == "interest" && find_backend(argv[2]))
		return print_interest(find_backend(argv[2]));
	bool interest_ok = true;
	const Backend *b = argc >= 3 ? find_backend(argv[2]) : find_backend("kqueue");
	uint32_t interest = argc >= 4 ? parse_interest(argv[3], interest_ok) : interest_default;
	std::vector<std::string> ops = split(argc >= 5 ? argv[4] : "pol,pol");
	if (argc < 2 || argc > 5 || !set_scenario(argv[1]) || !b || !interest_ok) {
		fprintf(stderr, "usage: harness events|readable|oob|receipt-errors|receipt-errors-xnu|one-filter-fails|"
		                "add-call-fails|delete-fails|kqueue-fails|foreign-ident|foreign-ident-only [backend [interest [ops]]]\n");
		return 2;
	}
	/* unavailable() must close the kqueue it tries; it is what the probe
	 * runs on a worker of the scenarios' pool (workers/probe.h). */
	int saved_errno = script.kqueue_errno;
	script.kqueue_errno = 0;
	const char *why = b->unavailable();
	size_t probe_kqs = kqs.size();
	bool probe_closed = true;
	for (int kq : kqs)
		probe_closed = probe_closed && !descriptor_open(kq);
	/* The probe's descriptor is gone: its creation is checked through the
	 * call that made it, the same as the observers'. */
	std::vector<std::string> probe_creates = creates;
	script.kqueue_errno = saved_errno;
	inject_foreign = script.foreign;
	/* A failing probe, for the message. */
	script.kqueue_errno = EPERM;
	const char *why_refused = b->unavailable();
	std::string refused = why_refused ? why_refused : "";
	script.kqueue_errno = saved_errno;

	std::vector<std::pair<std::string, Observation>> observations;
	std::vector<bool> kq_cloexec;
	bool clean_between = true;
	/* An unavailable backend is never opened (run() does the same). */
	if (!why) {
		std::unique_ptr<Observer> observer = b->open(interest);
		unsigned generation = 1;
		for (size_t i = 0; i < ops.size(); i++) {
			const std::string &op = ops[i];
			PolTarget target{endpoint_open ? observed_fd : closed_fd, 1, endpoint_open, generation};
			if (op == "pol") {
				observations.emplace_back(op, observer->observe(target));
			} else if (op == "arm") {
				observations.emplace_back(op, observer->rearm(target));
			} else if (op == "clo") {
				endpoint_open = false;
				for (size_t k = 0; k < knotes.size();)
					if (knotes[k].ident == (uintptr_t)observed_fd)
						knotes.erase(knotes.begin() + k);
					else
						k++;
			} else if (op == "reopen") {
				endpoint_open = true;
				generation++;
			} else if (op == "new") {
				for (Knote &k : knotes)
					k.delivered = false;
			} else {
				fprintf(stderr, "unknown op %s\n", op.c_str());
				return 2;
			}
			if (i == 0)
				for (const Knote &k : knotes)
					clean_between = clean_between && k.ident != (uintptr_t)observed_fd;
		}
		for (size_t i = probe_kqs; i < kqs.size(); i++)
			kq_cloexec.push_back(cloexec(kqs[i]));
	}
	bool kqs_closed = true;
	for (size_t i = probe_kqs; i < kqs.size(); i++)
		kqs_closed = kqs_closed && !descriptor_open(kqs[i]);

	printf("{\"backend\":\"%s\",\"asks\":\"%s\",\"expresses\":\"%s\",\"persistent\":%s,\"cleanBetween\":%s,",
	       b->name, b->asks, b->expresses, b->persistent ? "true" : "false", clean_between ? "true" : "false");
	printf("\"unavailable\":");
	print_string_or_null(why);
	printf(",\"refusedProbe\":\"%s\",\"probeClosed\":%s,\"probeCreates\":[", refused.c_str(),
	       probe_closed ? "true" : "false");
	for (size_t i = 0; i < probe_creates.size(); i++)
		printf("%s\"%s\"", i ? "," : "", probe_creates[i].c_str());
	printf("],\"creates\":[");
	for (size_t i = probe_kqs; i < creates.size(); i++)
		printf("%s\"%s\"", i > probe_kqs ? "," : "", creates[i].c_str());
	printf("],\"kqCloexec\":[");
	for (size_t i = 0; i < kq_cloexec.size(); i++)
		printf("%s%s", i ? "," : "", kq_cloexec[i] ? "true" : "false");
	printf("],\"kqueueCallsAtOpen\":%d,\"kqClosed\":%s,", (int)(kqs.size() - probe_kqs),
	       kqs_closed ? "true" : "false");
	unsigned receipt = 0, dispatch = 0;
	int except = 0;
	unsigned oob = 0;
#ifdef EV_RECEIPT
	receipt = EV_RECEIPT;
#endif
#ifdef EV_DISPATCH
	dispatch = EV_DISPATCH;
#endif
#ifdef EVFILT_EXCEPT
	except = (int)EVFILT_EXCEPT;
#endif
#ifdef NOTE_OOB
	oob = NOTE_OOB;
#endif
	printf("\"receipt\":%s,", receipt ? "true" : "false");
	printf("\"constants\":{\"EV_ADD\":%u,\"EV_DELETE\":%u,\"EV_ENABLE\":%u,\"EV_ONESHOT\":%u,\"EV_CLEAR\":%u,"
	       "\"EV_RECEIPT\":%u,\"EV_DISPATCH\":%u,\"EV_ERROR\":%u,\"EV_EOF\":%u,"
	       "\"EVFILT_READ\":%d,\"EVFILT_WRITE\":%d,\"EVFILT_EXCEPT\":%d,\"NOTE_OOB\":%u},",
	       (unsigned)EV_ADD, (unsigned)EV_DELETE, (unsigned)EV_ENABLE, (unsigned)EV_ONESHOT, (unsigned)EV_CLEAR,
	       receipt, dispatch, (unsigned)EV_ERROR, (unsigned)EV_EOF, (int)EVFILT_READ, (int)EVFILT_WRITE, except,
	       oob);
	printf("\"flags\":[");
	for (size_t i = 0; i < b->nflags; i++)
		printf("%s[%u,\"%s\"]", i ? "," : "", b->flags[i].value, b->flags[i].name);
	printf("],\"filters\":[");
	for (size_t i = 0; i < b->nfilters; i++)
		printf("%s[%d,\"%s\"]", i ? "," : "", (int)b->filters[i].value, b->filters[i].name);
	printf("],\"observations\":[");
	for (size_t i = 0; i < observations.size(); i++) {
		printf("%s", i ? "," : "");
		print_observation(observations[i].first, observations[i].second);
	}
	printf("],\"calls\":[");
	for (size_t i = 0; i < calls.size(); i++) {
		const Call &c = calls[i];
		printf("%s{\"kq\":%d,\"changes\":[", i ? "," : "", c.kq);
		for (size_t j = 0; j < c.changes.size(); j++)
			printf("%s{\"ident\":%llu,\"filter\":%d,\"flags\":%u,\"fflags\":%u}", j ? "," : "",
			       (unsigned long long)c.changes[j].ident, (int)c.changes[j].filter,
			       (unsigned)c.changes[j].flags, (unsigned)c.changes[j].fflags);
		printf("],\"nevents\":%ld,\"timeout\":\"%s\",\"ret\":%ld}", c.nevents, c.timeout.c_str(), c.ret);
	}
	printf("]}\n");
	return 0;
}
