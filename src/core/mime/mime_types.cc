#include "mime_types.h"

#include "../text/ascii.h"

namespace smtpx::mime {
namespace {

struct KnownType {
  std::string_view extension;
  std::string_view type;
};

constexpr KnownType kKnownTypes[] = {
    {"pdf", "application/pdf"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"svg", "image/svg+xml"},
    {"txt", "text/plain"},
    {"html", "text/html"},
    {"htm", "text/html"},
    {"csv", "text/csv"},
    {"json", "application/json"},
    {"xml", "application/xml"},
    {"zip", "application/zip"},
    {"gz", "application/gzip"},
    {"doc", "application/msword"},
    {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    {"xls", "application/vnd.ms-excel"},
    {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    {"ppt", "application/vnd.ms-powerpoint"},
    {"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
    {"ics", "text/calendar"},
    {"mp3", "audio/mpeg"},
    {"mp4", "video/mp4"},
    {"wav", "audio/wav"},
};

}  // namespace

std::string_view guess_type(std::string_view file_name) {
  const size_t dot = file_name.rfind('.');
  if (dot != std::string_view::npos && file_name.find('/', dot) == std::string_view::npos) {
    const std::string_view extension = file_name.substr(dot + 1);
    for (const auto& known : kKnownTypes) {
      if (text::equals_ignoring_case(known.extension, extension)) return known.type;
    }
  }
  return "application/octet-stream";
}

}  // namespace smtpx::mime
