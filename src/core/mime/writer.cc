#include "writer.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "../error.h"
#include "../line_breaks.h"
#include "attachment_file.h"
#include "encoders.h"
#include "message_headers.h"
#include "mime_types.h"

namespace smtpx::mime {
namespace {

// Attachments are read from disk this much at a time.
constexpr size_t kFilePiece = 48 * 1024;

// One stretch of the output, produced in order by MessageWriter::read().
struct Piece {
  enum class Kind { literal, line_text, quoted_printable, base64 };
  Kind kind = Kind::literal;
  std::string literal;                // headers and boundaries
  std::string_view source;            // text, or attachment data held by the Message
  std::optional<std::ifstream> file;  // an attachment read at read() time
  size_t size = 0;                    // what read() makes of a body, a completed last line aside
  std::string field;                  // names the file in an error
  bool ends_line = false;             // the body of a single-part message ends with CRLF
};

// An entity of the MIME tree: a leaf with a body, or a multipart with children.
struct Node {
  std::string headers;  // its Content-* lines, each ending in CRLF
  Piece body;
  std::string boundary;
  std::vector<Node> children;
  bool eight_bit = false;
};

struct TextShape {
  bool ascii = true;
  bool nul = false;
  LineStats lines;
};

TextShape shape_of(std::string_view text) {
  TextShape shape;
  unsigned char high_bits = 0;
  for (char c : text) high_bits |= static_cast<unsigned char>(c);  // vectorised by the compiler
  shape.ascii = high_bits < 0x80;
  shape.nul = std::memchr(text.data(), '\0', text.size()) != nullptr;
  shape.lines = line_stats(text);
  return shape;
}

// RFC 2045 6.1 / RFC 5322 3.6.4: printable ASCII without brackets or white space.
std::string checked_content_id(std::string id, const std::string& field) {
  if (id.size() >= 2 && id.front() == '<' && id.back() == '>') id = id.substr(1, id.size() - 2);
  for (char c : id) {
    if (c < 33 || c > 126 || c == '<' || c == '>') {
      throw InvalidInput(field, "is not a content id: use printable ASCII without spaces or angle brackets");
    }
  }
  if (id.empty()) throw InvalidInput(field, "is an empty content id");
  return id;
}

// RFC 2045 5.1: type "/" subtype, both tokens, optionally followed by parameters.
void check_media_type(std::string_view type, const std::string& field) {
  check_single_line(field, type);
  const size_t slash = type.find('/');
  const size_t end = std::min(type.find(';'), type.size());
  auto is_token = [](std::string_view text) {
    if (text.empty()) return false;
    for (char c : text) {
      if (c <= 32 || c >= 127 || std::string_view("()<>@,;:\\\"/[]?=").find(c) != std::string_view::npos)
        return false;
    }
    return true;
  };
  if (slash == std::string_view::npos || slash > end || !is_token(type.substr(0, slash)) ||
      !is_token(type.substr(slash + 1, end - slash - 1))) {
    throw InvalidInput(field, "is not a media type like \"application/pdf\"");
  }
  // RFC 2045 5.1: parameters are tokens or quoted strings of ASCII; an 8-bit
  // byte or a control character in a header is not MIME (RFC 2231 encodes those).
  for (char c : type.substr(end)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 32 || byte >= 127)
      throw InvalidInput(field, "has a parameter with a byte outside printable ASCII: encode it (RFC 2231)");
  }
}

// RFC 2978 2.3: a charset name is a few ASCII letters, digits and punctuation,
// at most 40 of them (the longest IANA name is 45 with its "cs" alias; real
// ones are shorter). A longer one would leave an RFC 2047 encoded word, at most
// 75 characters, no room for any text.
void check_charset_name(const std::string& charset) {
  constexpr size_t kLongestCharsetName = 40;
  if (charset.empty() || charset.size() > kLongestCharsetName ||
      charset.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                "0123456789-_.:+") != std::string::npos) {
    throw InvalidInput("charset", "is not a charset name like \"UTF-8\" (ASCII, at most 40 characters)");
  }
}

std::string base_name(std::string_view path) {
  const size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

class TreeBuilder {
 public:
  TreeBuilder(const Message& message, const ComposeOptions& options) : message_(message), options_(options) {
    if (!options.boundary_seed.empty()) check_single_line("boundary_seed", options.boundary_seed);
    boundary_stem_ =
        "=_smtpx_" + (options.boundary_seed.empty() ? random_hex(12) : options.boundary_seed) + "_";
  }

  Node build() {
    std::optional<Node> text, html;
    if (message_.text) text = text_leaf("plain", *message_.text, "text");
    if (message_.html) html = text_leaf("html", *message_.html, "html");
    std::vector<Node> inline_parts, attachments;
    for (size_t i = 0; i < message_.attachments.size(); ++i) {
      Node leaf = attachment_leaf(message_.attachments[i], "attachments[" + std::to_string(i) + "]");
      // RFC 2387: parts referenced by cid: from the HTML travel beside it.
      const bool related = html && !message_.attachments[i].content_id.empty();
      (related ? inline_parts : attachments).push_back(std::move(leaf));
    }
    if (!inline_parts.empty()) {
      inline_parts.insert(inline_parts.begin(), std::move(*html));
      html = multipart("related", std::move(inline_parts), "; type=\"text/html\"");
    }
    std::optional<Node> body;
    if (text && html) {
      // RFC 2046 5.1.4: the plainest alternative first.
      std::vector<Node> alternatives;
      alternatives.push_back(std::move(*text));
      alternatives.push_back(std::move(*html));
      body = multipart("alternative", std::move(alternatives));
    } else if (text || html) {
      body = std::move(text ? *text : *html);
    }
    if (!attachments.empty()) {
      if (body) attachments.insert(attachments.begin(), std::move(*body));
      body = multipart("mixed", std::move(attachments));
    }
    return body ? std::move(*body) : text_leaf("plain", "", "text");
  }

 private:
  Node text_leaf(std::string_view subtype, std::string_view text, const std::string& field) {
    check_charset(field, text, message_.charset);
    const TextShape shape = shape_of(text);
    const bool short_lines = !shape.nul && shape.lines.longest <= kMaxLineLength;
    Node node;
    node.body.source = text;
    std::string_view encoding;
    // RFC 2045 2.7/2.8 and RFC 6152: 7bit when it is, 8bit when the server
    // takes it; anything else (long lines, NUL) is quoted-printable.
    node.body.kind = Piece::Kind::line_text;
    node.body.size = text.size() + shape.lines.bare_breaks;
    if (short_lines && shape.ascii) {
      encoding = "7bit";
    } else if (short_lines && options_.server_8bitmime) {
      encoding = "8bit";
      node.eight_bit = true;
    } else {
      encoding = "quoted-printable";
      node.body.kind = Piece::Kind::quoted_printable;
      node.body.size = quoted_printable_size(text);
    }
    node.headers =
        header_line(field, "Content-Type", "text/" + std::string(subtype) + "; charset=" + message_.charset);
    node.headers.append("Content-Transfer-Encoding: ").append(encoding).append("\r\n");
    return node;
  }

  Node attachment_leaf(const Attachment& attachment, const std::string& field) {
    Node node;
    node.body.kind = Piece::Kind::base64;
    std::string name = attachment.name;
    std::string name_field = field + ".name";
    if (name.empty() && !attachment.path.empty()) {
      name = base_name(attachment.path);
      name_field = field + ".path";
    }
    check_single_line(name_field, name);
    check_charset(name_field, name, message_.charset);
    size_t bytes = attachment.data.size();
    if (!attachment.path.empty()) {
      node.body.field = field + ".path";
      node.body.file = open_attachment(attachment.path, node.body.field, bytes);
    } else {
      node.body.source = attachment.data;
    }
    node.body.size = base64_lines_size(bytes);
    std::string type = attachment.type.empty() ? std::string(guess_type(name)) : attachment.type;
    check_media_type(type, field + ".type");
    // RFC 2047 words in name= are not valid MIME, but old clients read only them.
    if (!name.empty()) type.append("; name=" + quoted_string(encode_words(name, message_.charset)));
    node.headers = header_line(field + ".type", "Content-Type", type);
    node.headers.append("Content-Transfer-Encoding: base64\r\n");
    const bool is_inline = !attachment.content_id.empty();
    std::string disposition = is_inline ? "inline" : "attachment";
    // RFC 2183 2.3 with RFC 2231 for names that are not short ASCII.
    if (!name.empty()) disposition.append("; " + mime_parameter("filename", name, message_.charset));
    node.headers.append(header_line(name_field, "Content-Disposition", disposition));
    if (is_inline) {
      const std::string id = checked_content_id(attachment.content_id, field + ".inline");
      node.headers.append(header_line(field + ".inline", "Content-ID", "<" + id + ">"));
    }
    return node;
  }

  Node multipart(std::string_view subtype, std::vector<Node> children, std::string_view parameters = "") {
    Node node;
    // RFC 2046 5.1.1: "=_" cannot occur in quoted-printable or base64, and the
    // random part keeps it out of 7bit and 8bit text.
    node.boundary = boundary_stem_ + std::to_string(++boundaries_);
    node.headers = header_line("content_type", "Content-Type",
                               "multipart/" + std::string(subtype) + std::string(parameters) +
                                   "; boundary=\"" + node.boundary + "\"");
    for (const Node& child : children) node.eight_bit = node.eight_bit || child.eight_bit;
    // RFC 2045 6.4: a multipart holding an 8bit part is itself 8bit.
    if (node.eight_bit) node.headers.append("Content-Transfer-Encoding: 8bit\r\n");
    node.children = std::move(children);
    return node;
  }

  const Message& message_;
  const ComposeOptions& options_;
  std::string boundary_stem_;
  int boundaries_ = 0;
};

void add_literal(std::vector<Piece>& pieces, std::string_view text) {
  if (pieces.empty() || pieces.back().kind != Piece::Kind::literal) pieces.emplace_back();
  pieces.back().literal.append(text);
}

// The tree in output order: each entity's headers, a blank line, then its body
// or its children between delimiter lines (RFC 2046 5.1.1; the CRLF before a
// delimiter belongs to it, so bodies keep their bytes exactly).
void flatten(Node& node, std::vector<Piece>& pieces) {
  add_literal(pieces, node.headers);
  add_literal(pieces, "\r\n");
  if (node.children.empty()) {
    pieces.push_back(std::move(node.body));
    return;
  }
  for (size_t i = 0; i < node.children.size(); ++i) {
    add_literal(pieces, (i == 0 ? "--" : "\r\n--") + node.boundary + "\r\n");
    flatten(node.children[i], pieces);
  }
  add_literal(pieces, "\r\n--" + node.boundary + "--\r\n");
}

bool ends_with_line_break(std::string_view text) {
  return !text.empty() && (text.back() == '\n' || text.back() == '\r');
}

// The bytes read() produces for `piece`, for SIZE (RFC 1870) before a byte is
// sent. Exact, except that a file that grows after it was opened is read to
// its end: the size is what the file held when the message was composed.
size_t piece_size(const Piece& piece) {
  if (piece.kind == Piece::Kind::literal) return piece.literal.size();
  // read() completes a last line that has no line break of its own.
  const bool completed = piece.ends_line && !piece.source.empty() && !ends_with_line_break(piece.source);
  return piece.size + (completed ? 2 : 0);
}

}  // namespace

struct MessageWriter::State {
  std::vector<Piece> pieces;
  size_t current = 0;
  size_t offset = 0;  // into the current piece's source
  bool at_line_start = true;
  bool has_8bit = false;
  std::string message_id;
  size_t size = 0;  // what read() will produce in all
  CrlfWriter crlf;
  QuotedPrintableEncoder quoted_printable;
  Base64LineEncoder base64;
  std::vector<char> file_buffer;

  // Appends up to about `want` bytes of the current piece; true when it is done.
  bool produce(Piece& piece, size_t want, std::string& out) {
    const size_t remaining = piece.source.size() - offset;
    switch (piece.kind) {
      case Piece::Kind::literal:
        out.append(piece.literal);
        return true;
      case Piece::Kind::line_text: {
        const size_t take = std::min(remaining, want);
        crlf.feed(piece.source.substr(offset, take), out);
        offset += take;
        if (offset < piece.source.size()) return false;
        crlf.flush(out);
        return true;
      }
      case Piece::Kind::quoted_printable: {
        const size_t take = std::min(remaining, want);
        quoted_printable.feed(piece.source.substr(offset, take), out);
        offset += take;
        if (offset < piece.source.size()) return false;
        quoted_printable.finish(out);
        return true;
      }
      case Piece::Kind::base64: {
        const size_t take = std::min(kFilePiece, std::max<size_t>(want / 4 * 3, 3));
        if (piece.file) {
          file_buffer.resize(kFilePiece);
          piece.file->read(file_buffer.data(), static_cast<std::streamsize>(std::min(take, kFilePiece)));
          const auto got = static_cast<size_t>(piece.file->gcount());
          if (piece.file->bad()) throw InvalidInput(piece.field, "could not be read to the end");
          if (got > 0) base64.feed({file_buffer.data(), got}, out);
          if (!piece.file->eof()) return false;
          piece.file.reset();
        } else {
          const size_t part = std::min(remaining, take);
          base64.feed(piece.source.substr(offset, part), out);
          offset += part;
          if (offset < piece.source.size()) return false;
        }
        base64.finish(out);
        return true;
      }
    }
    return true;
  }
};

MessageWriter::MessageWriter(const Message& message, ComposeOptions options)
    : state_(std::make_unique<State>()) {
  check_charset_name(message.charset);
  MessageHeaders headers = message_headers(message, options);
  Node top = TreeBuilder(message, options).build();
  state_->message_id = std::move(headers.message_id);
  state_->has_8bit = headers.raw_utf8 || top.eight_bit;
  add_literal(state_->pieces, headers.lines);
  flatten(top, state_->pieces);
  // RFC 5321 4.1.1.4: the content ends with a complete line.
  if (top.children.empty()) state_->pieces.back().ends_line = true;
  for (const Piece& piece : state_->pieces) state_->size += piece_size(piece);
}

MessageWriter::~MessageWriter() = default;

bool MessageWriter::read(std::string& out, size_t hint) {
  State& state = *state_;
  const size_t start = out.size();
  hint = std::max<size_t>(hint, 1);
  while (state.current < state.pieces.size() && out.size() - start < hint) {
    Piece& piece = state.pieces[state.current];
    const size_t before = out.size();
    const bool done = state.produce(piece, hint - (out.size() - start), out);
    if (out.size() > before) state.at_line_start = out.back() == '\n';
    if (!done) continue;
    if (piece.ends_line && !state.at_line_start) {
      out.append("\r\n");
      state.at_line_start = true;
    }
    piece.literal = std::string();
    ++state.current;
    state.offset = 0;
    state.crlf = CrlfWriter();
    state.quoted_printable = {};
    state.base64 = {};
  }
  return out.size() > start;
}

size_t MessageWriter::size_hint() const {
  return state_->size;
}

bool MessageWriter::has_8bit() const {
  return state_->has_8bit;
}

const std::string& MessageWriter::message_id() const {
  return state_->message_id;
}

std::string compose(const Message& message, const ComposeOptions& options) {
  MessageWriter writer(message, options);
  std::string out;
  while (writer.read(out, 64 * 1024)) {
  }
  return out;
}

}  // namespace smtpx::mime
