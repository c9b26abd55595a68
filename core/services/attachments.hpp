// AttachmentService: files kept with a contact (the photo of a business card taken at a
// stand). A file is its contact's: whoever may change the contact adds and deletes its files,
// whoever reads the contact's organisation reads them; region staff never read another
// organisation's (schema.cpp: Sharing::never), a file of a contact they cannot read is a 404
// like a missing one.
//
// What is kept is checked: the declared type is one of image/jpeg, image/png, image/webp
// (another is Problem unsupported_type), the first bytes are those of that type (invalid
// otherwise), the size is within the configured cap (too_large). The bytes are kept beside
// the row (WriteTxn::set_attachment_content), never in it: they never travel in the
// record's JSON, its audit entry, its event or a list of files; only content() reads them.
//
// Events: attachment.created, attachment.deleted (record_writes.hpp), with the audit entry.
//
// Thread safety: all members may be called concurrently. Writes complete asynchronously.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "auth/principal.hpp"
#include "relance/storage/store.hpp"
#include "services/record_service.hpp"
#include "services/write_outcome.hpp"

namespace relance::services {

inline constexpr std::size_t default_attachment_max_bytes = 5u << 20;

struct UploadAttachment {
  std::int64_t contact_id = 0;
  std::string content_type;  // as declared by the sender, parameters allowed
  std::string filename;      // may be empty
  std::string bytes;
  Idempotency idempotency;
};

// A file as it is sent back.
struct AttachmentContent {
  std::string bytes;
  std::string content_type;
  std::string filename;
  std::int64_t id = 0;
  std::int64_t version = 0;
};

// Which media type `bytes` start like: "image/jpeg", "image/png", "image/webp", or empty.
std::string sniff_image_type(std::string_view bytes);

class AttachmentService {
 public:
  AttachmentService(storage::Store& store, RecordService& records, std::size_t max_bytes)
      : store_(store), records_(records), max_bytes_(max_bytes) {}

  std::size_t max_bytes() const { return max_bytes_; }

  // Outcomes: created; not_found (no contact of the caller's organisation with this id);
  // invalid (the bytes are not of the declared type, or none). Problem 415 for a type that
  // is not an image kept, 413 beyond max_bytes(), 403 for a read-only token.
  void upload(const auth::Principal& p, UploadAttachment request, OutcomeCallback done);
  // A page of the contact's files, oldest first; Problem 404 when the caller cannot read
  // the contact.
  Page list(const auth::Principal& p, std::int64_t contact_id, const ListRequest& request);
  // Problem 404 for a file the caller may not read.
  AttachmentContent content(const auth::Principal& p, std::int64_t id);
  void remove(const auth::Principal& p, std::int64_t id, std::optional<std::int64_t> expected_version,
              OutcomeCallback done);

 private:
  storage::Store& store_;
  RecordService& records_;
  std::size_t max_bytes_;
};

}  // namespace relance::services
