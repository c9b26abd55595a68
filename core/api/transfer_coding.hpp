// The transfer codings of a request, checked before its body is read (RFC 9112 §6). A
// server and a proxy in front of it must agree on where a request ends; when they do not,
// a body can carry a second request that one of them serves unseen ("request smuggling").
// So the only coding taken is chunked, alone: any other, however it is spelled, is
// refused, and the connection closes after the answer.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "domain/problem.hpp"

namespace relance::api {

// `fields`: the values of every Transfer-Encoding field of the request, in order;
// `has_length`: whether it also has a Content-Length. Nothing when the request has no
// Transfer-Encoding, or exactly `chunked` (in any letter case) in one field of an
// HTTP/1.1 request. Otherwise the problem to answer before closing:
//   400 a list that is not one of codings, `chunked` not last or given twice, a
//       Content-Length beside it, or an HTTP/1.0 request (which has no transfer codings);
//   501 codings the server does not implement (gzip, identity, ...) before `chunked`.
std::optional<Problem> transfer_coding_problem(const std::vector<std::string_view>& fields, bool has_length,
                                               unsigned version);

}  // namespace relance::api
