#include "api/attachment_routes.hpp"

#include <algorithm>
#include <cctype>

#include "api/list_query.hpp"
#include "api/openapi.hpp"
#include "api/outcome_response.hpp"
#include "api/routes.hpp"
#include "domain/problem.hpp"

namespace relance::api {
namespace json = boost::json;
using Shape = RouteDoc::Shape;

namespace {

const storage::Entity& files = storage::entities::attachments;

// What a browser is told of a file it is sent: no script, no plugin, no request of its own,
// a unique origin (sandbox), whatever the bytes hold; an HTML or SVG file that slipped
// through as an image would not run as a page of the app's origin.
constexpr const char* file_policy = "default-src 'none'; sandbox";

// Only the images the upload accepts (schema.cpp's attachment_types) are shown in the
// browser; any other stored type is handed over as a download, never rendered.
bool shown_inline(const std::string& content_type) {
  const auto* kept = files.field("content_type");
  return std::find(kept->choices.begin(), kept->choices.end(), content_type) != kept->choices.end();
}

// The file's name for Content-Disposition: an ASCII fallback in `filename` (what is not
// printable ASCII, quotes and backslashes become "_") and the name itself, percent-encoded
// UTF-8, in `filename*` (RFC 6266, RFC 8187).
std::string content_disposition(const services::AttachmentContent& file) {
  const std::string name = file.filename.empty() ? "attachment-" + std::to_string(file.id) : file.filename;
  std::string ascii, encoded;
  static constexpr char hex[] = "0123456789ABCDEF";
  for (const char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    ascii += (c < 0x20 || c > 0x7e || c == '"' || c == '\\') ? '_' : static_cast<char>(c);
    if (std::isalnum(c) || c == '.' || c == '-' || c == '_' || c == '~') {
      encoded += static_cast<char>(c);
    } else {
      encoded += '%';
      encoded += hex[c >> 4];
      encoded += hex[c & 15];
    }
  }
  return std::string(shown_inline(file.content_type) ? "inline" : "attachment") + "; filename=\"" + ascii +
         "\"; filename*=UTF-8''" + encoded;
}

RouteDoc upload_doc(std::size_t max_bytes) {
  RouteDoc d{"Keeps a file with a contact (the photo of a business card): the body is the file, image/jpeg, "
             "image/png or image/webp, whose first bytes must be of that type (422 otherwise, 415 for another "
             "type); at most " + std::to_string(max_bytes) + " bytes (413); ?filename= names it",
             "attachments", Shape::created, &files, true, {"filename"}, false, true};
  d.query_schemas["filename"] = json::object{{"type", "string"}, {"maxLength", 255},
                                             {"description", "The file's name (IMG_0042.jpg)"}};
  d.request_content = doc_content({"image/jpeg", "image/png", "image/webp"}, doc_binary());
  d.responses["413"] = doc_problem("The file is larger than the configured limit");
  d.responses["415"] = doc_problem("Not image/jpeg, image/png or image/webp");
  return d;
}

RouteDoc content_doc() {
  RouteDoc d{"A contact's file as it was kept, byte for byte, with its type, Content-Disposition (its name; "
             "inline for the images kept, attachment for any other type), X-Content-Type-Options: nosniff and "
             "Content-Security-Policy: " + std::string(file_policy),
             "attachments", Shape::text};
  d.versioned = true;
  d.responses["200"] = doc_response(
      "The file", doc_content({"image/jpeg", "image/png", "image/webp"}, doc_binary()),
      {{"Content-Disposition", doc_header("inline; filename=\"<name>\"; filename*=UTF-8''<name>")},
       {"X-Content-Type-Options", doc_header("nosniff")},
       {"Content-Security-Policy", doc_header(file_policy)},
       {"ETag", doc_header("The file's version, for the If-Match of its DELETE")}});
  return d;
}

}  // namespace

void add_attachment_routes(Router& router, services::AttachmentService& attachments) {
  router.add("POST", "/api/v1/contacts/{id}/attachments", true, upload_doc(attachments.max_bytes()),
             [&attachments](Call& c, Reply reply) {
               std::string filename;
               for (const auto& [k, v] : c.request.query) {
                 if (k != "filename") throw Problem::bad_request("unknown parameter " + k + " (filename)", k);
                 filename = v;
               }
               attachments.upload(c.principal,
                                  services::UploadAttachment{c.ids[0], c.request.content_type, std::move(filename),
                                                             c.request.body, idempotency_of(c.request)},
                                  answering(std::move(reply), "/api/v1/attachments"));
             });
  RouteDoc list{"A contact's files (their names, types and sizes; the bytes at GET /api/v1/attachments/{id}), "
                "oldest first",
                "attachments", Shape::page, &files, false, {"limit", "cursor"}};
  router.add("GET", "/api/v1/contacts/{id}/attachments", true, std::move(list),
             [&attachments](Call& c, Reply reply) {
               const services::ListRequest request = parse_list_request(files, c.request.query);
               reply(page_response(attachments.list(c.principal, c.ids[0], request), &request));
             });
  router.add("GET", "/api/v1/attachments/{id}", true, content_doc(), [&attachments](Call& c, Reply reply) {
    services::AttachmentContent file = attachments.content(c.principal, c.ids[0]);
    Response r;
    r.status = 200;
    r.content_type = shown_inline(file.content_type) ? file.content_type : "application/octet-stream";
    r.headers.emplace_back("Content-Disposition", content_disposition(file));
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    r.headers.emplace_back("Content-Security-Policy", file_policy);
    r.headers.emplace_back("Cache-Control", "private, no-store");
    r.headers.emplace_back("ETag", etag_of(file.id, file.version));
    r.body = std::move(file.bytes);
    reply(std::move(r));
  });
  router.add("DELETE", "/api/v1/attachments/{id}", true,
             {"Deletes a contact's file", "attachments", Shape::no_content, &files, false, {}, true},
             [&attachments](Call& c, Reply reply) {
               attachments.remove(c.principal, c.ids[0], expected_version(c.request, c.ids[0]),
                                  answering(std::move(reply)));
             });
}

}  // namespace relance::api
