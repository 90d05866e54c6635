#include "body_source.h"

#include <algorithm>

namespace smtpx {

StringBodySource::StringBodySource(std::string_view bytes)
    : bytes_(bytes), has_8bit_(std::any_of(bytes.begin(), bytes.end(), [](char c) {
        return static_cast<unsigned char>(c) >= 0x80;
      })) {}

bool StringBodySource::read(std::string& out, size_t hint) {
  if (offset_ >= bytes_.size()) return false;
  const size_t remaining = bytes_.size() - offset_;
  const size_t piece = hint == 0 ? remaining : std::min(hint, remaining);
  out.append(bytes_.data() + offset_, piece);
  offset_ += piece;
  return true;
}

}  // namespace smtpx
