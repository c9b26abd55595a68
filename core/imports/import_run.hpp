// Internal to core/imports: running one import job (ImportService's worker calls it).
//
// Pass 1 ("checking") reads the file once: every row is built (imports/import.hpp) and
// validated against the API's field rules into the row it will be stored as, and spooled to
// the job's folder (imports/spool.hpp). With an invalid row and no skip_invalid, the job
// fails there ("invalid rows"), its report listing them, and nothing is written.
//
// Pass 2 ("importing", or "reporting" in a dry run) reads the spool back, deduplicates
// (imports/dedup.hpp) and hands the contacts (and the companies they name) to the store's
// writer in batches of `batch` rows, each a transaction of its own (Store::write_alone), with
// services::write_record: each contact with its audit entry and its contact.created or
// contact.updated event, exactly as the API writes them. While the writer commits one
// batch, the next is prepared: at most two are in flight. A batch that fails stops the
// job; the batches committed before it stay, none after it is written.
//
// Thread safety: runs on the calling thread (and the store's writer).
#pragma once

#include <atomic>
#include <cstddef>

#include "imports/import_job.hpp"
#include "relance/storage/store.hpp"
#include "services/org_directory.hpp"

namespace relance::imports {

// Runs `job` to its end: throws (Problem, std::exception) when it fails for a reason other
// than invalid rows; `stopping` set makes it throw at the next row.
void run_import(ImportJob& job, storage::Store& store, const services::OrgSettings& org,
                std::size_t batch, const std::atomic<bool>& stopping);

}  // namespace relance::imports
