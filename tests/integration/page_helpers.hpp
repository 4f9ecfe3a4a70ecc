#pragma once
/// @file
/// @brief Reading rendered pages in the integration tests: entities, links and URL encoding.

#include <string>
#include <string_view>
#include <vector>

namespace ocl::integration {

/// @brief Decodes the HTML entities a template engine may produce (&amp; &lt; &gt; &quot; &apos; &#NN; &#xHH;).
std::string html_unescape(std::string_view html);

/// @brief Percent-encodes every byte outside A-Z a-z 0-9 - . _ ~ (the strictest correct form of a path segment).
std::string percent_encode_all(std::string_view text);

/// @brief Decodes %XX escapes; the input is returned unchanged where an escape is malformed.
std::string percent_decode(std::string_view text);

/// @brief One `<a href="...">text</a>` of a page, both as written in the HTML.
struct Link {
  std::string href;
  std::string text;
};

/// @brief Every link whose href starts with `prefix` and has something after it, in document order.
std::vector<Link> links_under(std::string_view html, std::string_view prefix);

/// @brief True when `needle` occurs in `text`.
inline bool contains(std::string_view text, std::string_view needle) {
  return text.find(needle) != std::string_view::npos;
}

/// @brief True when `text` has only ASCII bytes.
bool is_ascii(std::string_view text);

}  // namespace ocl::integration
