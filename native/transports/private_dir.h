/*
 * private_dir.h - a private temporary directory for what a transport must put
 * on the file system (a FIFO, a regular file, a UNIX socket path where there
 * are no abstract names), removed with its one entry when the scenario ends,
 * so the machine is left as it was found.
 */
#pragma once

#include <cstdlib>
#include <string>

#include <unistd.h>

#include "../os/os.h"
#include "transport.h"

namespace pollmatrix {

class PrivateDir {
public:
	PrivateDir() = default;
	~PrivateDir() { remove(); }
	PrivateDir(const PrivateDir &) = delete;
	PrivateDir &operator=(const PrivateDir &) = delete;

	/* Makes the directory (mkdtemp, mode 0700) and returns the path of the
	 * entry `name` in it, or "" with errno set. */
	std::string make(const char *name)
	{
		char tmpl[] = "/tmp/pollmatrix-XXXXXX";
		if (!os::mkdtemp(tmpl))
			return "";
		dir_ = tmpl;
		entry_ = dir_ + "/" + name;
		return entry_;
	}

	/* The directory itself ("" before make()). */
	const std::string &directory() const { return dir_; }

	/* Unlinks the entry (if it was made) and the directory. */
	void remove()
	{
		if (!entry_.empty())
			os::unlink(entry_.c_str());
		if (!dir_.empty())
			os::rmdir(dir_.c_str());
		entry_.clear();
		dir_.clear();
	}

private:
	std::string dir_;
	std::string entry_;
};

/* A transport session whose set-up puts something in a private directory
 * (dir_.make()): the directory goes at the end of the scenario. */
class PrivateDirSession : public TransportSession {
public:
	void teardown() override
	{
		dir_.remove();
	}

protected:
	PrivateDir dir_;
};

} // namespace pollmatrix
