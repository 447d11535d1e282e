/*
 * build.h - how this binary was built, for platform() (issue 16): a document
 * made with a binary nobody has loaded on its own OS says so.
 *
 * scripts/macos-compile.sh defines PM_CROSS_BUILT when it builds the darwin
 * prebuilds with zig on Linux: those binaries are cross-built, and no Mac
 * ran them before they were committed. Any other build (node-gyp on the
 * machine itself, or a prebuild made on its own OS) leaves it undefined, and
 * the loader (src/native/binding.ts) tells a prebuild from a build from
 * source by the file it loaded.
 */
#pragma once

namespace pollmatrix {

/* "cross-built", or nullptr for a build made on its own OS. */
constexpr const char *addon_build()
{
#ifdef PM_CROSS_BUILT
	return "cross-built";
#else
	return nullptr;
#endif
}

} // namespace pollmatrix
