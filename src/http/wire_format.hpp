#pragma once
/// @file
/// @brief A response's status line and header fields as the bytes that go on the wire.

#include <string>

#include "http/message.hpp"

namespace ocl::http {

/// @brief Writes `response`'s status line, fields and the blank line that ends them into `out`
/// (replacing what it held), byte for byte as Beast's serializer sends them.
///
/// The session sends these bytes and the body in one gathered write: Beast's serializer walks a
/// nested view of a dozen buffers per field, which cost more than the page itself when a cached
/// page is answered. `out` is reused from request to request, so the header costs no allocation.
void format_response_head(const Response& response, std::string& out);

}  // namespace ocl::http
