// How the glue calls the core: the zvals are converted and the core runs in
// plain C++ (run_core), which comes back with a value or a Refusal, never an
// exception; only then are Zend functions called to build the return value or
// throw (finish).
//
// Why in two steps: a Zend bailout (a fatal error, the memory limit) is a
// longjmp, which would skip the destructors of every C++ object it crosses.
// run_core calls nothing in Zend that can bail out; finish runs its Zend calls
// under zend_try and reports a bailout to its caller, which continues it once
// the outcome, the last C++ object of the call, is gone.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

#include "../core/error.h"
#include "php.h"

namespace smtpx::php {

// A problem with an argument as a whole, phrased to follow "Argument #1 ($message) ",
// e.g. `has an unknown key "tto"`. Problems with one field are InvalidInput.
class BadArgument : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Why a call into the core produced no value, as plain data.
struct Refusal {
  enum class Kind { argument_value, argument_type, smtp, internal };
  Kind kind = Kind::internal;
  int argnum = 0;
  // argument_*: what follows "Argument #N ($name) "; internal: what went wrong.
  std::string text;
  SmtpFailure failure;  // smtp
};

template <class T>
using Outcome = std::variant<T, Refusal>;

// Which argument bad input is blamed on. The core lambda moves `argnum` along
// as it converts one argument after the other; `by_field`, when set, picks the
// argument from the field the core names instead (the envelope of a raw send).
struct Blame {
  int argnum = 1;
  int (*by_field)(const std::string& field) = nullptr;
};

// Runs `core(blame)`, which returns a T, and catches everything it throws.
template <class T, class Core>
Outcome<T> run_core(Core&& core) noexcept {
  Blame blame;
  try {
    return Outcome<T>(std::in_place_index<0>, core(blame));
  } catch (const BadArgument& error) {
    return Refusal{Refusal::Kind::argument_value, blame.argnum, error.what(), {}};
  } catch (const InvalidInput& error) {
    const int argnum = blame.by_field ? blame.by_field(error.field()) : blame.argnum;
    const auto kind = error.kind() == InvalidInput::Kind::type ? Refusal::Kind::argument_type
                                                               : Refusal::Kind::argument_value;
    return Refusal{kind, argnum, error.what(), {}};
  } catch (SmtpError& error) {
    return Refusal{Refusal::Kind::smtp, 0, {}, std::move(error.failure())};
  } catch (const std::exception& error) {
    return Refusal{Refusal::Kind::internal, 0, error.what(), {}};
  } catch (...) {
    return Refusal{Refusal::Kind::internal, 0, "an unknown error in the smtpx core", {}};
  }
}

// Throws the Zend exception a Refusal stands for (exceptions.cc).
void throw_refusal(const Refusal& refusal);

// Hands the value to `build` (which fills the return value) or throws the
// refusal. Returns false when a bailout happened: the caller must call
// zend_bailout() once this call's temporaries are destroyed, i.e.
//   if (!finish(run_core<T>(...), build)) zend_bailout();
template <class T, class Build>
[[nodiscard]] bool finish(Outcome<T> outcome, Build&& build) {
  volatile bool completed = false;
  zend_try {
    if (T* value = std::get_if<0>(&outcome))
      build(*value);
    else
      throw_refusal(std::get<Refusal>(outcome));
    completed = true;
  }
  zend_end_try();
  return completed;
}

}  // namespace smtpx::php
