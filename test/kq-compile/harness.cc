/*
 * harness.cc - runs native/backend_kqueue.cc on Linux, linked against a fake
 * kqueue()/kevent() that follows kqueue(2) for the parts the backend relies
 * on, and prints what the backend did as one JSON object.
 *
 * The fake kevent() handles changes the way XNU kevent_internal() and FreeBSD
 * kqueue_kevent() do: a change that fails, or carries EV_RECEIPT, is written
 * to the eventlist with EV_ERROR and data = errno while there is room (FreeBSD
 * sets flags to EV_ERROR; XNU since 2017 ORs it in: "xnu" scenarios); a
 * failure with no room makes kevent() return -1. When no such entry was
 * written and slots remain, it "scans": it returns the scenario's pending
 * events whose filter is registered. Deleting an unregistered filter fails
 * with ENOENT.
 *
 * Usage: harness <scenario>   (scenarios below). Build with test/kq-compile
 * first on the include path and one PM_FAKE_* macro (see sys/event.h).
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

#include "backend.h"
#include "interest.h"

namespace pollmatrix {
extern const Backend backend_kqueue;
}

using namespace pollmatrix;

namespace {

const int observed_fd = 7;

struct Script {
	int kqueue_errno = 0;       /* kqueue() fails with this */
	int add_call_errno = 0;     /* the EV_ADD kevent() fails as a whole */
	int add_errno[2] = {0, 0};  /* per filter (READ, WRITE): failed EV_ADD */
	int delete_errno[2] = {0, 0};
	bool xnu_receipts = false;  /* flags |= EV_ERROR instead of = EV_ERROR */
	std::vector<struct kevent> pending;
};

struct Call {
	std::vector<struct kevent> changes;
	long nevents;
	std::string timeout;
	long ret;
};

Script script;
std::vector<Call> calls;
int fake_kq = -1;
int kqueue_calls = 0;
bool registered[2] = {false, false};

int slot(const struct kevent &k)
{
	if (k.filter == EVFILT_READ)
		return 0;
	if (k.filter == EVFILT_WRITE)
		return 1;
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

struct kevent event(int filter, unsigned flags, unsigned fflags, long data)
{
	struct kevent k = {};
	EV_SET(&k, (uintptr_t)observed_fd, filter, flags, fflags, data, 0);
	return k;
}

long fake_kevent(int kq, const struct kevent *changes, long nchanges, struct kevent *events, long nevents)
{
	if (kq != fake_kq) {
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
		int s = slot(c);
		int err = 0;
		if (s < 0)
			err = EINVAL;
		else if (c.flags & EV_ADD)
			err = script.add_errno[s];
		else if (c.flags & EV_DELETE)
			err = script.delete_errno[s] ? script.delete_errno[s] : registered[s] ? 0 : ENOENT;
		if ((err != 0 || has_receipt(c)) && out < nevents) {
			events[out] = c;
			events[out].flags = script.xnu_receipts ? (c.flags | EV_ERROR) : EV_ERROR;
			events[out].data = err;
			out++;
		} else if (err != 0) {
			errno = err;
			return -1;
		}
		if (s >= 0 && err == 0)
			registered[s] = (c.flags & EV_ADD) != 0;
	}
	if (out == 0)
		for (const struct kevent &p : script.pending)
			if (out < nevents && slot(p) >= 0 && registered[slot(p)])
				events[out++] = p;
	return out;
}

void print_observation(const Observation &o)
{
	printf("{\"ret\":%ld,\"err\":%d,\"failedCall\":", o.ret, o.err);
	if (o.failed_call)
		printf("\"%s\"", o.failed_call);
	else
		printf("null");
	printf(",\"raw\":%u,\"notMeasured\":\"%s\",\"kevents\":[", o.raw, o.not_measured.c_str());
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

bool set_scenario(const std::string &name)
{
	if (name == "events") {
		/* READ: peer reset, errno in fflags (ECONNRESET); WRITE: EOF. */
		script.pending = {event(EVFILT_READ, EV_ADD | EV_EOF, ECONNRESET, 0),
		                  event(EVFILT_WRITE, EV_ADD | EV_EOF, 0, 8192)};
	} else if (name == "receipt-errors" || name == "receipt-errors-xnu") {
		script.add_errno[0] = EBADF;
		script.add_errno[1] = EPIPE;
		script.xnu_receipts = name == "receipt-errors-xnu";
		script.pending = {event(EVFILT_READ, EV_ADD, 0, 3)};
	} else if (name == "one-filter-fails") {
		/* mio#582: EPIPE registering a pipe whose peer is gone, while the
		 * other filter still reports. */
		script.add_errno[1] = EPIPE;
		script.pending = {event(EVFILT_READ, EV_ADD | EV_EOF, 0, 0), event(EVFILT_WRITE, EV_ADD | EV_EOF, 0, 0)};
	} else if (name == "add-call-fails") {
		script.add_call_errno = ENOMEM;
		script.pending = {event(EVFILT_READ, EV_ADD, 0, 3)};
	} else if (name == "delete-fails") {
		script.delete_errno[0] = EINVAL;
		script.pending = {event(EVFILT_READ, EV_ADD, 0, 3)};
	} else if (name == "kqueue-fails") {
		script.kqueue_errno = EMFILE;
	} else {
		return false;
	}
	return true;
}

} // namespace

extern "C" int kqueue(void)
{
	kqueue_calls++;
	if (script.kqueue_errno) {
		fake_kq = -1;
		errno = script.kqueue_errno;
		return -1;
	}
	fake_kq = open("/dev/null", O_RDONLY);
	return fake_kq;
}

extern "C" int kevent(int kq, const struct kevent *changelist, pm_fake_count_t nchanges, struct kevent *eventlist,
                      pm_fake_count_t nevents, const struct timespec *timeout)
{
	Call call;
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

int main(int argc, char **argv)
{
	if (argc != 2 || !set_scenario(argv[1])) {
		fprintf(stderr, "usage: harness events|receipt-errors|receipt-errors-xnu|one-filter-fails|"
		                "add-call-fails|delete-fails|kqueue-fails\n");
		return 2;
	}
	const Backend &b = backend_kqueue;
	/* unavailable() must close the kqueue it tries. */
	int saved_errno = script.kqueue_errno;
	script.kqueue_errno = 0;
	const char *why = b.unavailable();
	bool probe_closed = !descriptor_open(fake_kq);
	script.kqueue_errno = saved_errno;
	int calls_before_open = kqueue_calls;

	std::vector<Observation> observations;
	int kq = -1;
	{
		std::unique_ptr<Observer> observer = b.open(interest_default);
		kq = fake_kq;
		/* Two `pol` steps in a row: each must start with no filter. */
		observations.push_back(observer->observe(PolTarget{observed_fd, 1, true, 1}));
		bool clean_between = !registered[0] && !registered[1];
		observations.push_back(observer->observe(PolTarget{observed_fd, 1, true, 1}));
		printf("{\"cleanBetween\":%s,", clean_between ? "true" : "false");
	}
	printf("\"unavailable\":%s%s%s,\"probeClosed\":%s,\"kqueueCallsAtOpen\":%d,\"kqClosed\":%s,",
	       why ? "\"" : "", why ? why : "null", why ? "\"" : "", probe_closed ? "true" : "false",
	       kqueue_calls - calls_before_open, kq < 0 || !descriptor_open(kq) ? "true" : "false");
#ifdef EV_RECEIPT
	unsigned receipt = EV_RECEIPT;
#else
	unsigned receipt = 0;
#endif
	printf("\"receipt\":%s,", receipt ? "true" : "false");
	printf("\"constants\":{\"EV_ADD\":%u,\"EV_DELETE\":%u,\"EV_RECEIPT\":%u,\"EV_ERROR\":%u,\"EV_EOF\":%u,"
	       "\"EVFILT_READ\":%d,\"EVFILT_WRITE\":%d},",
	       (unsigned)EV_ADD, (unsigned)EV_DELETE, receipt, (unsigned)EV_ERROR, (unsigned)EV_EOF, (int)EVFILT_READ,
	       (int)EVFILT_WRITE);
	printf("\"flags\":[");
	for (size_t i = 0; i < b.nflags; i++)
		printf("%s[%u,\"%s\"]", i ? "," : "", b.flags[i].value, b.flags[i].name);
	printf("],\"filters\":[");
	for (size_t i = 0; i < b.nfilters; i++)
		printf("%s[%d,\"%s\"]", i ? "," : "", (int)b.filters[i].value, b.filters[i].name);
	printf("],\"observations\":[");
	for (size_t i = 0; i < observations.size(); i++) {
		printf("%s", i ? "," : "");
		print_observation(observations[i]);
	}
	printf("],\"calls\":[");
	for (size_t i = 0; i < calls.size(); i++) {
		const Call &c = calls[i];
		printf("%s{\"changes\":[", i ? "," : "");
		for (size_t j = 0; j < c.changes.size(); j++)
			printf("%s{\"ident\":%llu,\"filter\":%d,\"flags\":%u}", j ? "," : "",
			       (unsigned long long)c.changes[j].ident, (int)c.changes[j].filter,
			       (unsigned)c.changes[j].flags);
		printf("],\"nevents\":%ld,\"timeout\":\"%s\",\"ret\":%ld}", c.nevents, c.timeout.c_str(), c.ret);
	}
	printf("]}\n");
	return 0;
}
