#include "services/attachments.hpp"

#include <algorithm>

#include "domain/problem.hpp"
#include "domain/record_json.hpp"
#include "domain/text.hpp"
#include "services/record_writes.hpp"

namespace relance::services {
using storage::Row;
using storage::Scope;
namespace ent = storage::entities;

namespace {

const storage::Entity& files = ent::attachments;
constexpr std::size_t filename_max_length = 255;  // as the field's, schema.cpp

// "image/PNG; q=1" -> "image/png".
std::string media_type_of(std::string_view declared) {
  return domain::trim(domain::fold_ascii_case(declared.substr(0, declared.find(';'))));
}

// The name as the sender gave it, without a path (a phone's camera sends "IMG_0042.jpg";
// another client may send "C:\cards\card.png"), within the field's length.
std::string plain_filename(std::string_view name) {
  if (const auto slash = name.find_last_of("/\\"); slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::string out = domain::trim(name);
  if (!domain::valid_utf8(out) || domain::utf8_length(out) > filename_max_length)
    throw Problem::invalid("filename", "filename must be valid UTF-8 of at most " +
                                           std::to_string(filename_max_length) + " characters");
  return out;
}

}  // namespace

std::string sniff_image_type(std::string_view bytes) {
  if (bytes.starts_with("\xFF\xD8\xFF")) return "image/jpeg";
  if (bytes.starts_with("\x89PNG\r\n\x1A\n")) return "image/png";
  if (bytes.size() >= 12 && bytes.starts_with("RIFF") && bytes.substr(8, 4) == "WEBP") return "image/webp";
  return {};
}

void AttachmentService::upload(const auth::Principal& p, UploadAttachment request, OutcomeCallback done) {
  require_write(p);
  const std::string type = media_type_of(request.content_type);
  const auto* kept = files.field("content_type");
  if (std::find(kept->choices.begin(), kept->choices.end(), type) == kept->choices.end())
    throw Problem(Problem::Kind::unsupported_type, "Unsupported media type",
                  "a contact's file is image/jpeg, image/png or image/webp, not " +
                      (type.empty() ? std::string("a body without a Content-Type") : type));
  if (request.bytes.size() > max_bytes_)
    throw Problem(Problem::Kind::too_large, "Payload too large",
                  "the file is larger than " + std::to_string(max_bytes_) + " bytes");
  auto row = std::make_shared<Row>();
  const bool ok = checked(done, [&] {
    if (request.bytes.empty()) throw Problem::invalid("content", "the file is empty");
    const std::string actual = sniff_image_type(request.bytes);
    if (actual != type)
      throw Problem::invalid("content", "the file's first bytes are not those of " + type +
                                            (actual.empty() ? std::string() : " (they are " + actual + "'s)"));
    row->values.resize(files.fields.size());
    row->set(files, "contact_id", request.contact_id);
    row->set(files, "filename", plain_filename(request.filename));
    row->set(files, "content_type", type);
    row->set(files, "size_bytes", static_cast<std::int64_t>(request.bytes.size()));
  });
  if (!ok) return;
  row->org_id = p.org_id;
  const Scope visible = records_.read_scope(p, ent::contacts);
  auto bytes = std::make_shared<const std::string>(std::move(request.bytes));
  submit_outcome(
      store_,
      [p, row, bytes, visible, contact_id = request.contact_id,
       idempotency = std::move(request.idempotency)](storage::WriteTxn& tx) {
        if (auto first = replayed(tx, p, idempotency)) return *first;
        // A contact the caller only reads (staff, through a shared lead) is theirs to read, not
        // to add to (403, as a change of it); one they do not read is missing (404, its id
        // not repeated: it answers exactly as a contact that does not exist).
        if (!tx.get(ent::contacts, Scope::org(p.org_id), contact_id)) {
          if (visible.kind != Scope::Kind::org && tx.get(ent::contacts, visible, contact_id))
            throw Problem::forbidden("you read this contact through a lead shared with the region; only its "
                                     "organisation adds files to it");
          refuse(WriteOutcome{WriteOutcome::Kind::not_found, contact_id, 0, {}, {}, {}});
        }
        std::string json = write_record(tx, p, files, WriteKind::create, *row, nullptr, set_fields(files, *row),
                                        event_type(files, WriteKind::create));
        tx.set_attachment_content(row->org_id, row->id, *bytes);  // beside the row, never in it
        WriteOutcome created{WriteOutcome::Kind::created, row->id, row->version, std::move(json), {}, {}};
        remember(tx, p, idempotency, created);
        return created;
      },
      std::move(done));
}

Page AttachmentService::list(const auth::Principal& p, std::int64_t contact_id, const ListRequest& request) {
  records_.get(p, ent::contacts, contact_id);  // Problem 404 when the caller cannot read it
  ListRequest of_contact = request;
  of_contact.conditions.push_back({"contact_id", domain::ListCondition::Test::equals, contact_id});
  return list_page(store_, files, records_.read_scope(p, files), of_contact, [](const Row&) { return false; });
}

AttachmentContent AttachmentService::content(const auth::Principal& p, std::int64_t id) {
  auto row = store_.get(files, records_.read_scope(p, files), id);
  if (!row) throw Problem::not_found();
  auto bytes = store_.attachment_content(row->org_id, row->id);
  if (!bytes) throw Problem::not_found();  // deleted between the two reads
  const std::string* type = row->text(files, "content_type");
  const std::string* name = row->text(files, "filename");
  return AttachmentContent{std::move(*bytes), type ? *type : std::string(), name ? *name : std::string(), row->id,
                           row->version};
}

void AttachmentService::remove(const auth::Principal& p, std::int64_t id, std::optional<std::int64_t> expected_version,
                               OutcomeCallback done) {
  records_.remove(p, DeleteRecord{files, id, expected_version}, std::move(done));
}

}  // namespace relance::services
