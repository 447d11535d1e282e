/*
 * local_address.h - an address on this machine for a scenario's server end:
 * loopback (127.0.0.1 or ::1) with an ephemeral port, or a UNIX socket name
 * nobody else can hold: an abstract name where the kernel has them
 * (os::abstract_unix_names: Linux, unix(7): it leaves nothing on the file
 * system), else a path in a private temporary directory that release()
 * removes.
 */
#pragma once

#include <string>

#include <sys/socket.h>

#include "private_dir.h"

namespace pollmatrix {

class LocalAddress {
public:
	explicit LocalAddress(int family) : family_(family) {}
	~LocalAddress() = default;
	LocalAddress(const LocalAddress &) = delete;
	LocalAddress &operator=(const LocalAddress &) = delete;

	int family() const { return family_; }
	/* Fills the address to bind to; false with errno set on failure. */
	bool prepare();
	/* After bind(): reads back the port the kernel chose (inet). */
	bool bound(int fd);
	const struct sockaddr *get() const { return (const struct sockaddr *)&addr_; }
	socklen_t length() const { return len_; }
	/* Removes the socket path and its directory (not abstract names). */
	void release();

private:
	int family_;
	struct sockaddr_storage addr_ = {};
	socklen_t len_ = 0;
	/* The socket path's directory where there are no abstract names. */
	PrivateDir dir_;
};

} // namespace pollmatrix
