// Lists as the API reads them from a query string: the filters, search and sort of
// domain/list_vocabulary.hpp, ?limit= and the opaque ?cursor= that carries a page's end to
// the next request. A bad parameter is a Problem 400 naming it. The services take the typed
// requests made here (services::ListRequest, IdPaging) and answer pages that know nothing
// of cursors.
#pragma once

#include <string>

#include "api/http.hpp"
#include "services/record_service.hpp"

namespace relance::api {

// ?q=, ?limit=, ?sort=[-]field, ?cursor= and the filters of a list of `e`.
services::ListRequest parse_list_request(const storage::Entity& e, const QueryParams& query);

// The ?cursor= of the page that starts after `end`, in the order of `request`.
std::string next_cursor(const services::ListRequest& request, const services::ListPosition& end);

// ?limit= and ?cursor= of a list paged by id, newest first (the audit log, contact merges):
// a cursor is the id of the last item of the page before. Reads `key` into `paging` when it
// is limit or cursor (Problem 400 for a bad value); false for any other parameter.
bool read_id_paging(services::IdPaging& paging, const std::string& key, const std::string& value);

}  // namespace relance::api
