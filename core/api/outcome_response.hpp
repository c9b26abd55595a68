// The one place where what a use case came to becomes an HTTP answer: a write's outcome
// (services/write_outcome.hpp) its status, ETag, Location and body, or its problem document;
// a record read its ETag; a page of a list its next cursor. Every route that writes records
// or contact merges answers through here.
#pragma once

#include <string>

#include "api/http.hpp"
#include "services/record_service.hpp"
#include "services/write_outcome.hpp"

namespace relance::api {

// created: 201 with the row, its ETag and, under `location_prefix`, its Location; updated:
// 200 with the row and its ETag; deleted: 204; conflict: 412 Precondition failed;
// not_found: 404. A merge (no version) has no ETag.
Response outcome_response(services::WriteOutcome outcome, const std::string& location_prefix = {});

// Completes a write: its outcome (outcome_response), or its error as a problem document
// (a Problem keeps its status: 422 for an invalid field, with the field named).
services::OutcomeCallback answering(Reply reply, std::string location_prefix = {});

// The ETag of version `version` of row `id`: "<id>-<version>", quoted (api/routes.cpp's
// expected_version reads it back from If-Match).
std::string etag_of(std::int64_t id, std::int64_t version);

// A record (an account, a plugin instance) as read: 200 with its ETag.
Response record_response(services::RecordRead read);

// A page of a list: {"items": [...], "next_cursor": ...}. With `request`, a keyset list's
// page (the cursor carries its order); without, a list paged by id (the cursor is the id).
Response page_response(services::Page page, const services::ListRequest* request = nullptr);

}  // namespace relance::api
