/*
 * platform.cc - platform(): the facts about the kernel under test that a
 * result document carries (os.h kernel_facts: the host's uname(2) and C
 * library, or the rump kernel's own answers).
 */
#include <string>

#include "../os/os.h"
#include "build.h"
#include "exports.h"

namespace pollmatrix {

/* platform() -> { sysname, release, version, machine, libc }, for a
 * kernel other than the host's { os, measuredIn }, and for a cross-built
 * binary { addon: "cross-built" } (build.h) (src/native/binding.ts
 * NativePlatform). An empty fact is left out (libc: null). */
Napi::Value Platform(const Napi::CallbackInfo &info)
{
	Napi::Env env = info.Env();
	Napi::Object p = Napi::Object::New(env);
	os::KernelFacts k = os::kernel_facts();
	auto set = [&](const char *name, const std::string &value) {
		if (!value.empty())
			p.Set(name, value);
	};
	set("os", k.os);
	set("sysname", k.sysname);
	set("release", k.release);
	set("version", k.version);
	set("machine", k.machine);
	p.Set("libc", k.libc.empty() ? env.Null() : Napi::Value(Napi::String::New(env, k.libc)));
	set("measuredIn", k.measured_in);
	if (const char *build = addon_build())
		p.Set("addon", build);
	return p;
}

} // namespace pollmatrix
