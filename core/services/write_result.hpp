// What a write of an account, a token or a plugin instance sends back once it is committed
// (or why it failed). The record use cases answer a WriteOutcome (write_outcome.hpp), which
// knows nothing of HTTP; these still carry the status and ETag the API sends, until they
// move to outcomes too.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <string>

namespace relance::services {

struct WriteResult {
  int status = 200;
  std::string body;   // JSON text
  std::string etag;   // of the written row, empty after a delete
  std::int64_t id = 0;
};

// Called once, on the storage writer's thread, after the commit: `error` is a Problem, a
// storage::StorageError or another exception when the write did not happen.
using WriteCallback = std::function<void(std::exception_ptr error, WriteResult result)>;

// The ETag of version `version` of row `id`: "<id>-<version>", quoted.
std::string etag_of(std::int64_t id, std::int64_t version);

}  // namespace relance::services
