// Opening a file to attach: what the MIME writer streams and the JSON APIs
// read whole.
#pragma once

#include <fstream>
#include <string>

namespace smtpx::mime {

// Opens `path` for reading and sets `size`; throws InvalidInput naming `field`
// for a path that cannot be read, is not a regular file, or is a view of the
// process or the kernel (/proc, /sys).
std::ifstream open_attachment(const std::string& path, const std::string& field, size_t& size);

// The bytes of an attachment: its data, or its whole file.
std::string attachment_bytes(const std::string& path, const std::string& data, const std::string& field);

}  // namespace smtpx::mime
