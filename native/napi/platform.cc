/*
 * platform.cc - platform(): the facts about this machine a result document
 * carries.
 */
#include <string>

#include <sys/utsname.h>
#if defined(__GLIBC__)
#include <gnu/libc-version.h>
#endif

#include "exports.h"

namespace pollmatrix {

/* platform() -> what uname(2) and the C library say about this machine. */
Napi::Value Platform(const Napi::CallbackInfo &info)
{
	Napi::Env env = info.Env();
	Napi::Object p = Napi::Object::New(env);
	struct utsname u;
	if (uname(&u) == 0) {
		p.Set("sysname", u.sysname);
		p.Set("release", u.release);
		p.Set("version", u.version);
		p.Set("machine", u.machine);
	}
#if defined(__GLIBC__)
	p.Set("libc", std::string("glibc ") + gnu_get_libc_version());
#elif defined(__APPLE__)
	p.Set("libc", "libSystem");
#elif defined(__FreeBSD__) || defined(__OpenBSD__) || defined(__NetBSD__) || defined(__DragonFly__)
	p.Set("libc", "BSD libc");
#else
	p.Set("libc", env.Null());
#endif
	return p;
}

} // namespace pollmatrix
