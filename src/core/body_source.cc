#include "body_source.h"

#include <algorithm>

#include "text/ascii.h"

namespace smtpx {

StringBodySource::StringBodySource(std::string_view bytes)
    : bytes_(bytes), has_8bit_(!text::is_ascii(bytes)) {}

bool StringBodySource::read(std::string& out, size_t hint) {
  if (offset_ >= bytes_.size()) return false;
  const size_t remaining = bytes_.size() - offset_;
  const size_t piece = hint == 0 ? remaining : std::min(hint, remaining);
  out.append(bytes_.data() + offset_, piece);
  offset_ += piece;
  return true;
}

}  // namespace smtpx
