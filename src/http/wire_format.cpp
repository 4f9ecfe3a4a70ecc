#include "http/wire_format.hpp"

#include <array>
#include <charconv>

namespace ocl::http {

void format_response_head(const Response& response, std::string& out) {
  out.clear();
  const auto version = response.version();
  out += "HTTP/";
  out += static_cast<char>('0' + version / 10);
  out += '.';
  out += static_cast<char>('0' + version % 10);
  out += ' ';
  std::array<char, 8> code{};  // result_int() is below 1000
  const auto* const end = std::to_chars(code.data(), code.data() + code.size(), response.result_int()).ptr;
  out.append(code.data(), static_cast<std::size_t>(end - code.data()));
  out += ' ';
  out += response.reason();
  out += "\r\n";
  for (const auto& field : response) {
    out += field.name_string();
    out += ": ";
    out += field.value();
    out += "\r\n";
  }
  out += "\r\n";
}

}  // namespace ocl::http
