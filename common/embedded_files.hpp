#pragma once
// Files from schemas/ compiled into the executables (see cmake/EmbedFiles.cmake).

#include <string_view>

namespace evidence::core {

/// The content of an embedded file by its path below schemas/, or empty if unknown.
std::string_view embedded_file(std::string_view name);

}  // namespace evidence::core
