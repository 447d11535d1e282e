/*
 * exports.h - the module's functions, registered in module.cc under their
 * JavaScript names (src/binding.ts Binding).
 */
#pragma once

#include <napi.h>

namespace pollmatrix {

Napi::Value Run(const Napi::CallbackInfo &info);        /* run.cc: run() */
Napi::Value RunMany(const Napi::CallbackInfo &info);    /* run_many.cc: runMany() */
Napi::Value Backends(const Napi::CallbackInfo &info);   /* lists.cc: backends() */
Napi::Value Transports(const Napi::CallbackInfo &info); /* lists.cc: transports() */
Napi::Value Actions(const Napi::CallbackInfo &info);    /* lists.cc: actions() */
Napi::Value Interests(const Napi::CallbackInfo &info);  /* lists.cc: interests() */
Napi::Value FlagTables(const Napi::CallbackInfo &info); /* lists.cc: flagTables() */
Napi::Value Platform(const Napi::CallbackInfo &info);   /* platform.cc: platform() */
Napi::Value Limits(const Napi::CallbackInfo &info);     /* limits.cc: limits() */

} // namespace pollmatrix
