// Internal to core/imports: running one import job (ImportService's worker calls it).
//
// Pass 1 ("checking") opens the file whole (open_file scans it: size, encoding, bytes;
// then finds the header or the first card) and reads it once: every row comes out of the
// reader built and checked as the row it will be stored as (imports/import.hpp), and is
// spooled to the job's folder (imports/spool.hpp). A fault of the file found there (a quote
// never closed near the end...) fails the job with its sentence, as an invalid row without
// skip_invalid does ("invalid rows", the report listing them): nothing is written.
//
// Pass 2 ("importing", or "reporting" in a dry run) reads the spool back, deduplicates
// (imports/dedup.hpp; an update completes the contact's row with the file's row,
// domain::complete_row) and hands the contacts (and the companies they name) to the store's
// writer in batches of `batch` rows, each a transaction of its own (Store::write_alone).
// The write job checks only what needs the database (the contact still there, unique
// fields) and writes with services::create_records and write_record: each contact with its
// audit entry and its contact.created or contact.updated event, exactly as the API writes
// them; no field is converted or checked again. While the writer commits one batch, the
// next is prepared: at most two are in flight. A batch that fails stops the job; the
// batches committed before it stay, none after it is written.
//
// Thread safety: runs on the calling thread (and the store's writer).
#pragma once

#include <atomic>
#include <cstddef>

#include "imports/import_job.hpp"
#include "relance/storage/store.hpp"

namespace relance::imports {

// Runs `job` to its end: throws (Problem, std::exception) when it fails for a reason other
// than invalid rows; `stopping` set makes it throw at the next row.
void run_import(ImportJob& job, storage::Store& store, std::size_t batch, const std::atomic<bool>& stopping);

}  // namespace relance::imports
