/*
 * local_address.cc - see local_address.h.
 */
#include "../os/os.h"
#include "local_address.h"

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/un.h>
#include <unistd.h>

namespace pollmatrix {

bool LocalAddress::prepare()
{
	memset(&addr_, 0, sizeof(addr_));
	if (family_ == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)&addr_;
		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len_ = sizeof(*a);
		return true;
	}
	if (family_ == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&addr_;
		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_loopback;
		len_ = sizeof(*a);
		return true;
	}
	struct sockaddr_un *a = (struct sockaddr_un *)&addr_;
	a->sun_family = AF_UNIX;
	if (os::abstract_unix_names) {
		static std::atomic<unsigned> counter{0};
		char name[64];
		int n = snprintf(name, sizeof(name), "pollmatrix-%d-%u", (int)getpid(), counter++);
		memcpy(a->sun_path + 1, name, (size_t)n);
		len_ = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
		return true;
	}
	std::string path = dir_.make("s");
	if (path.empty())
		return false;
	snprintf(a->sun_path, sizeof(a->sun_path), "%s", path.c_str());
	len_ = (socklen_t)sizeof(*a);
	return true;
}

bool LocalAddress::bound(int fd)
{
	if (family_ == AF_UNIX)
		return true;
	socklen_t len = sizeof(addr_);
	if (os::getsockname(fd, (struct sockaddr *)&addr_, &len) < 0)
		return false;
	len_ = len;
	return true;
}

void LocalAddress::release()
{
	dir_.remove();
}

} // namespace pollmatrix
