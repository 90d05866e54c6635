// The media type of an attachment guessed from its file name, for callers who
// give none: a small table of the types mail commonly carries.
#pragma once

#include <string_view>

namespace smtpx::mime {

// The type for the file name's extension (case-insensitive), or
// "application/octet-stream" (RFC 2046 4.5.1) for any other.
std::string_view guess_type(std::string_view file_name);

}  // namespace smtpx::mime
