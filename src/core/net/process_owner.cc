#include "process_owner.h"

#include <unistd.h>

namespace smtpx::net {

bool ProcessOwner::take() {
  const long pid = static_cast<long>(getpid());
  const bool inherited = pid_ != 0 && pid_ != pid;
  pid_ = pid;
  return inherited;
}

bool ProcessOwner::is_current() const {
  return pid_ == static_cast<long>(getpid());
}

}  // namespace smtpx::net
