// How the glue calls the core: call_core(core, build). The zvals are converted
// and the core runs in plain C++, which comes back with a value or a Refusal,
// never an exception; only then are Zend functions called to build the return
// value from the value, or to throw the Zend exception the refusal stands for.
//
// Why in two steps: a Zend bailout (a fatal error, the memory limit) is a
// longjmp, which would skip the destructors of every C++ object it crosses.
// The core calls nothing in Zend that can bail out; `build` and the exception
// builders run under zend_try while the outcome, the last C++ object of the
// call, is alive in a frame the longjmp does not cross, and the bailout is
// continued once it is gone.
//
// Refused input is blamed on the first argument unless the call says otherwise:
// argument(2, convert) blames what `convert` refuses on argument 2.
#pragma once

#include <exception>
#include <stdexcept>
#include <string>
#include <type_traits>
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

// Which argument refused input is blamed on: a fixed one, or the one the
// refused field belongs to (the envelope and the content of a raw send).
// Implicit, so that a call reads argument(2, ...) or argument(raw_argument, ...).
struct Blame {
  Blame(int argnum) : argnum(argnum) {}
  Blame(int (*by_field)(const std::string& field)) : by_field(by_field) {}
  int argnum = 1;
  int (*by_field)(const std::string& field) = nullptr;
};

// Why a call into the core produced no value, as plain data.
struct Refusal {
  // bailout: a Zend call in the core's half bailed out (zend_guarded); there is
  // nothing to throw, the bailout goes on once the C++ objects are gone.
  enum class Kind { argument_value, argument_type, smtp, internal, bailout };
  Kind kind = Kind::internal;
  int argnum = 0;
  // argument_*: what follows "Argument #N ($name) "; internal: what went wrong,
  // empty when there was no memory left to say it.
  std::string text;
  SmtpFailure failure;  // smtp
};

// The refusal the exception `error` stands for, blamed on `blame` unless it was
// thrown through argument(). Never throws: without memory for the message, the
// refusal is internal and says nothing.
Refusal refusal_of(std::exception_ptr error, Blame blame) noexcept;

// Throws the Zend exception a Refusal stands for (exceptions.cc).
void throw_refusal(const Refusal& refusal);

// What leaves argument(): the refused input and whom it is blamed on.
struct BlamedInput {
  Blame blame;
  std::exception_ptr error;
};

// Runs `convert`, blaming what it refuses (InvalidInput, BadArgument) on `blame`.
template <class Convert>
decltype(auto) argument(Blame blame, Convert&& convert) {
  try {
    return convert();
  } catch (const BadArgument&) {
    throw BlamedInput{blame, std::current_exception()};
  } catch (const InvalidInput&) {
    throw BlamedInput{blame, std::current_exception()};
  }
}

// What zend_guarded throws: a Zend bailout turned into a C++ exception, so the
// core's half unwinds before call_core continues the bailout.
struct ZendBailout {};

// Runs `zend_call`, Zend code that may bail out, in the core's half of
// call_core. `zend_call` itself must hold no C++ object with a destructor.
template <class ZendCall>
void zend_guarded(ZendCall&& zend_call) {
  volatile bool bailed_out = false;
  zend_try {
    zend_call();
  }
  zend_catch {
    bailed_out = true;
  }
  zend_end_try();
  if (bailed_out) throw ZendBailout{};
}

template <class T>
using Outcome = std::variant<T, Refusal>;

// Runs `core()`, which returns a T, and catches everything it throws.
template <class T, class Core>
Outcome<T> run_core(Core& core, Blame blame) noexcept {
  try {
    return Outcome<T>(std::in_place_index<0>, core());
  } catch (...) {
    return refusal_of(std::current_exception(), blame);
  }
}

// Hands the value to `build` or throws the refusal, under zend_try. Returns
// false when a bailout happened, here or in the core's half, for the caller to
// continue it.
template <class T, class Build>
[[nodiscard]] bool finish(Outcome<T>& outcome, Build& build) {
  if (const Refusal* refusal = std::get_if<Refusal>(&outcome);
      refusal && refusal->kind == Refusal::Kind::bailout)
    return false;
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

// Runs the core and hands what it returns to `build`, which fills the return
// value, or throws what it refused; input it refuses is blamed on `blame`.
template <class Core, class Build>
void call_core(Blame blame, Core&& core, Build&& build) {
  using T = std::decay_t<std::invoke_result_t<Core&>>;
  bool completed;
  {
    Outcome<T> outcome = run_core<T>(core, blame);
    completed = finish(outcome, build);
  }
  if (!completed) zend_bailout();
}

template <class Core, class Build>
void call_core(Core&& core, Build&& build) {
  call_core(Blame(1), std::forward<Core>(core), std::forward<Build>(build));
}

// For a core that returns nothing: the return value stays null.
template <class Core>
void call_core(Core&& core) {
  call_core(
      [&] {
        core();
        return std::monostate{};
      },
      [](std::monostate) {});
}

}  // namespace smtpx::php
