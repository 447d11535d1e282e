/*
 * descriptors.cc - private descriptor table on Linux, shared table elsewhere.
 * See descriptors.h for why.
 */
#include "descriptors.h"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <thread>

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <unistd.h>

#ifdef __linux__
#include <sched.h>
#include <sys/syscall.h>
#endif

namespace pollmatrix {

namespace {

bool is_open(int fd)
{
	return fcntl(fd, F_GETFD) != -1 || errno != EBADF;
}

/* The lowest number the kernel refuses to allocate: RLIMIT_NOFILE's soft
 * limit. Nothing can be open there unless the limit was lowered later, so the
 * search goes on upwards if it is. */
int never_allocated_number()
{
	struct rlimit rl;
	long n = 1L << 20;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur < (rlim_t)INT_MAX)
		n = (long)rl.rlim_cur;
	while (n < INT_MAX && is_open((int)n))
		n++;
	return (int)n;
}

#ifdef __linux__
/* Drop this private table's copies of the host's descriptors 3 and up. They
 * are references only: the host's own table keeps every file open, so nothing
 * the host owns is shut down, unlocked or unregistered. */
void close_inherited_copies()
{
#ifdef SYS_close_range
	if (syscall(SYS_close_range, 3U, ~0U, 0U) == 0)
		return;
#endif
	std::vector<int> fds;
	DIR *dir = opendir("/proc/thread-self/fd");
	if (dir) {
		int own = dirfd(dir);
		while (struct dirent *de = readdir(dir)) {
			int fd = atoi(de->d_name);
			if (fd >= 3 && fd != own)
				fds.push_back(fd);
		}
		closedir(dir);
	} else {
		for (int fd = 3; fd < 65536; fd++)
			fds.push_back(fd);
	}
	for (int fd : fds)
		close(fd);
}
#endif

} // namespace

int DescriptorTable::closed_number(int original) const
{
	if (!private_)
		return never_allocated_number();
	if (original >= 0 && !is_open(original))
		return original;
	int n = 3;
	while (is_open(n))
		n++;
	return n;
}

std::vector<int> DescriptorTable::open_descriptors() const
{
	std::vector<int> fds;
	if (!private_)
		return fds;
	/* Only this thread allocates here and it allocates lowest-first, so
	 * numbers 3 to 1023 hold everything. One poll() asks about all of them:
	 * POLLNVAL marks a closed number (poll(2)). */
	std::vector<struct pollfd> probe;
	for (int fd = 3; fd < 1024; fd++)
		probe.push_back({fd, 0, 0});
	if (poll(probe.data(), probe.size(), 0) < 0) {
		for (int fd = 3; fd < 1024; fd++)
			if (is_open(fd))
				fds.push_back(fd);
		return fds;
	}
	for (const struct pollfd &p : probe)
		if (!(p.revents & POLLNVAL))
			fds.push_back(p.fd);
	return fds;
}

void DescriptorTable::run(const std::function<void(DescriptorTable &)> &body, bool want_shared,
                          std::string *why_shared)
{
	if (want_shared) {
		*why_shared = "a shared table was asked for";
		DescriptorTable table(false);
		body(table);
		return;
	}
#ifdef __linux__
	std::thread worker([&]() {
		if (unshare(CLONE_FILES) == 0) {
			close_inherited_copies();
			DescriptorTable table(true);
			body(table);
			/* The private table dies with this thread and closes
			 * whatever a bug left open in it. */
			return;
		}
		*why_shared = std::string("unshare(CLONE_FILES) failed: ") + strerror(errno);
		DescriptorTable table(false);
		body(table);
	});
	worker.join();
#else
	*why_shared = "no private descriptor table on this OS (unshare(CLONE_FILES) is Linux-only)";
	DescriptorTable table(false);
	body(table);
#endif
}

} // namespace pollmatrix
