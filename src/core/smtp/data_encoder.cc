#include "data_encoder.h"

namespace smtpx::smtp {

void DataEncoder::finish(std::string& out) {
  lines_.flush(out);
  if (!lines_.at_line_start()) out.append("\r\n");
  if (mode_ == Mode::data) out.append(".\r\n");
}

}  // namespace smtpx::smtp
