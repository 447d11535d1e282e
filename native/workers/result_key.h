/*
 * result_key.h - a string that is equal for two run results exactly when
 * every field of them is (see result_key.cc).
 */
#pragma once

#include <string>

#include "../engine/engine.h"

namespace pollmatrix {

std::string result_key(const RunResult &r);

} // namespace pollmatrix
