// A contact's files, as a founder at a stand meets them: the photo of a business card kept
// with the contact, read back byte for byte with headers that keep a browser from running
// it, listed on the contact, deleted with If-Match (docs/api.md, "Attachments"); a file that
// is not what it says, or too big, is refused and nothing is kept; another organisation,
// region staff included, never reads a start-up's files.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <cstdint>
#include <map>
#include <string>

#include "tools.hpp"
#include "world.hpp"

using namespace relance::test;
namespace json = boost::json;

namespace {

std::int64_t id_of(const json::object& o) { return o.at("id").as_int64(); }
std::string str(std::int64_t id) { return std::to_string(id); }

// A PNG's signature, then bytes of every value (a NUL, high bytes, CR LF): what is read back
// must be exactly these.
std::string png_bytes(std::size_t size = 600) {
  std::string b("\x89PNG\r\n\x1A\n", 8);
  for (std::size_t i = 0; b.size() < size; ++i) b += static_cast<char>(i % 256);
  return b;
}

std::int64_t contact_of(HttpClient& as, const std::string& last_name = "Lefèvre") {
  return id_of(World::create(as, "contacts", {{"first_name", "Zoë"}, {"last_name", last_name},
                                              {"notes", "Carte prise au salon 📇"}}));
}

HttpResponse upload(HttpClient& as, std::int64_t contact, const std::string& bytes,
                    const std::string& type = "image/png", const std::string& query = "?filename=carte%20Zo%C3%AB.png",
                    Headers extra = {}) {
  extra.emplace_back("Content-Type", type);
  return as.request("POST", "/api/v1/contacts/" + str(contact) + "/attachments" + query, bytes, extra);
}

json::array files_of(HttpClient& as, std::int64_t contact) {
  auto r = as.get("/api/v1/contacts/" + str(contact) + "/attachments");
  INFO(r.body);
  REQUIRE(r.status == 200);
  return r.json().at("items").as_array();
}

}  // namespace

TEST_CASE("A founder keeps the photo of a business card with a contact and reads it back byte for byte") {
  World w;
  const auto contact = contact_of(w.alpha_member);
  const std::string bytes = png_bytes();
  auto made = upload(w.alpha_member, contact, bytes, "image/png", "?filename=carte%20Zo%C3%AB.png",
                     {{"Idempotency-Key", "card-zoe-1"}});
  INFO(made.body);
  REQUIRE(made.status == 201);
  const auto file = made.json().as_object();
  const auto id = id_of(file);
  CHECK(made.header("location") == "/api/v1/attachments/" + str(id));
  CHECK(file.at("contact_id").as_int64() == contact);
  CHECK(file.at("filename").as_string() == "carte Zoë.png");
  CHECK(file.at("content_type").as_string() == "image/png");
  CHECK(file.at("size_bytes").as_int64() == static_cast<std::int64_t>(bytes.size()));
  CHECK_FALSE(file.contains("content"));  // the bytes never travel in the record

  // The same request again (the answer was lost on a stand's network): the same file.
  auto again = upload(w.alpha_member, contact, bytes, "image/png", "?filename=carte%20Zo%C3%AB.png",
                      {{"Idempotency-Key", "card-zoe-1"}});
  CHECK(again.status == 201);
  CHECK(id_of(again.json().as_object()) == id);
  const json::array listed = files_of(w.alpha_member, contact);
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].at("filename").as_string() == "carte Zoë.png");

  auto read = w.alpha_member.get("/api/v1/attachments/" + str(id));
  REQUIRE(read.status == 200);
  CHECK(read.body == bytes);
  CHECK(read.header("content-type") == "image/png");
  CHECK(read.header("x-content-type-options") == "nosniff");
  CHECK(read.header("content-security-policy") == "default-src 'none'; sandbox");
  CHECK(read.header("content-disposition") == "inline; filename=\"carte Zo__.png\"; filename*=UTF-8''carte%20Zo%C3%AB.png");
  // A colleague of the same start-up reads it too.
  CHECK(w.alpha_admin.get("/api/v1/attachments/" + str(id)).body == bytes);

  // Kept in the audit log, without its bytes.
  auto audit = w.alpha_admin.get("/api/v1/audit?limit=5");
  REQUIRE(audit.status == 200);
  CHECK(audit.body.find("\"attachments\"") != std::string::npos);

  // Deleted with the version read; an older one is refused and the file stays.
  CHECK(w.alpha_member.del("/api/v1/attachments/" + str(id), {{"If-Match", "\"" + str(id) + "-9\""}}).status == 412);
  CHECK(w.alpha_member.get("/api/v1/attachments/" + str(id)).status == 200);
  auto gone = w.alpha_member.del("/api/v1/attachments/" + str(id), {{"If-Match", read.header("etag")}});
  CHECK(gone.status == 204);
  CHECK(w.alpha_member.get("/api/v1/attachments/" + str(id)).status == 404);
  CHECK(files_of(w.alpha_member, contact).empty());
}

TEST_CASE("A photo larger than the server's usual body limit is kept up to the configured cap") {
  World w;
  const auto contact = contact_of(w.alpha_member);
  const std::string bytes = png_bytes(2u << 20);  // 2 MB: a phone's photo, over the 1 MB of JSON bodies
  auto made = upload(w.alpha_member, contact, bytes);
  INFO(made.status << " " << made.body.substr(0, 300));
  REQUIRE(made.status == 201);
  CHECK(w.alpha_member.get("/api/v1/attachments/" + str(id_of(made.json().as_object()))).body == bytes);
}

TEST_CASE("A file that is not the image it says, or of another type, is refused and nothing is kept") {
  World w;
  const auto contact = contact_of(w.alpha_member);
  auto as_jpeg = upload(w.alpha_member, contact, png_bytes(), "image/jpeg");
  CHECK(as_jpeg.status == 422);
  CHECK(as_jpeg.json().at("field").as_string() == "content");
  CHECK(upload(w.alpha_member, contact, "%PDF-1.7\n<< >>", "image/webp").status == 422);
  CHECK(upload(w.alpha_member, contact, "", "image/png").status == 422);
  auto text = upload(w.alpha_member, contact, "<script>alert(1)</script>", "text/html");
  CHECK(text.status == 415);
  CHECK(upload(w.alpha_member, contact, png_bytes(), "application/octet-stream").status == 415);
  CHECK(files_of(w.alpha_member, contact).empty());
  // The real types are kept, whatever the case of their name.
  CHECK(upload(w.alpha_member, contact, std::string("\xFF\xD8\xFF\xE0", 4) + "JFIF", "IMAGE/JPEG").status == 201);
  CHECK(upload(w.alpha_member, contact, std::string("RIFF\x10\0\0\0WEBPVP8 ", 16), "image/webp").status == 201);
  CHECK(files_of(w.alpha_member, contact).size() == 2);
}

TEST_CASE("A file over the configured size is refused with 413") {
  World w(std::map<std::string, std::string>{{"RELANCE_API_MAX_ATTACHMENT_BYTES", "1000"}});
  const auto contact = contact_of(w.alpha_member);
  auto big = upload(w.alpha_member, contact, png_bytes(1001));
  CHECK(big.status == 413);
  CHECK(files_of(w.alpha_member, contact).empty());
  CHECK(upload(w.alpha_member, contact, png_bytes(1000)).status == 201);
}

TEST_CASE("Another organisation's files are not found, not even by region staff through a shared lead") {
  World w;
  const auto contact = contact_of(w.alpha_member);
  // A lead shared with the region: staff read the contact, never its files.
  World::create(w.alpha_member, "leads", {{"title", "Pilote"}, {"contact_id", contact}, {"shared_with_region", true}});
  const auto id = id_of(upload(w.alpha_member, contact, png_bytes()).json().as_object());
  const std::string one = "/api/v1/attachments/" + str(id);
  REQUIRE(w.staff.get("/api/v1/contacts/" + str(contact)).status == 200);
  for (HttpClient* other : {&w.beta_member, &w.beta_admin, &w.staff}) {
    CHECK(other->get(one).status == 404);
    CHECK(other->del(one, {{"If-Match", "*"}}).status == 404);
  }
  CHECK(upload(w.beta_member, contact, png_bytes()).status == 404);
  // Staff read the shared contact: adding to it is refused as a change of it is.
  CHECK(upload(w.staff, contact, png_bytes()).status == 403);
  CHECK(w.beta_member.get("/api/v1/contacts/" + str(contact) + "/attachments").status == 404);
  CHECK(files_of(w.staff, contact).empty());
  CHECK(files_of(w.alpha_member, contact).size() == 1);
}

TEST_CASE("A contact's files go with it when it is deleted") {
  World w;
  const auto contact = contact_of(w.alpha_member);
  const auto id = id_of(upload(w.alpha_member, contact, png_bytes()).json().as_object());
  CHECK(w.alpha_member.del("/api/v1/contacts/" + str(contact)).status == 204);
  CHECK(w.alpha_member.get("/api/v1/attachments/" + str(id)).status == 404);
}

TEST_CASE("A camera's JPEG with NUL bytes comes back identical and lists of files carry no bytes") {
  World w;
  const auto contact = contact_of(w.alpha_member, "Nguyễn");
  // A JPEG as a phone writes it: its markers, NULs in its header, then every byte value.
  std::string jpeg("\xFF\xD8\xFF\xE1\0\x18" "Exif\0\0MM\0*\0\0\0\x08\0\0", 20);
  for (std::size_t i = 0; jpeg.size() < 300000; ++i) jpeg += static_cast<char>((i * 7) % 256);
  jpeg += std::string("\xFF\xD9", 2);
  auto made = upload(w.alpha_member, contact, jpeg, "image/jpeg", "?filename=IMG_0042%20%22stand%22.jpg");
  INFO(made.body);
  REQUIRE(made.status == 201);
  const auto id = id_of(made.json().as_object());
  upload(w.alpha_member, contact, png_bytes());

  auto read = w.alpha_member.get("/api/v1/attachments/" + str(id));
  REQUIRE(read.status == 200);
  CHECK(read.body.size() == jpeg.size());
  CHECK(read.body == jpeg);
  CHECK(read.header("content-type") == "image/jpeg");
  CHECK(read.header("content-length") == std::to_string(jpeg.size()));
  // The quotes of the name cannot end the header's parameter.
  CHECK(read.header("content-disposition") ==
        "inline; filename=\"IMG_0042 _stand_.jpg\"; filename*=UTF-8''IMG_0042%20%22stand%22.jpg");
  CHECK(read.header("x-content-type-options") == "nosniff");

  // The list answers the files' metadata, never their bytes.
  auto list = w.alpha_member.get("/api/v1/contacts/" + str(contact) + "/attachments");
  REQUIRE(list.status == 200);
  CHECK(list.body.size() < 2000);
  const auto items = list.json().at("items").as_array();
  REQUIRE(items.size() == 2);
  for (const auto& item : items) {
    const auto& file = item.as_object();
    CHECK_FALSE(file.contains("content"));
    CHECK(file.contains("filename"));
    CHECK(file.contains("content_type"));
    CHECK(file.contains("size_bytes"));
    CHECK(file.contains("created_at"));
    CHECK(file.at("contact_id").as_int64() == contact);
  }
  CHECK(items[0].at("size_bytes").as_int64() == static_cast<std::int64_t>(jpeg.size()));
  CHECK(w.alpha_member.get("/api/v1/attachments/" + str(id)).body == jpeg);  // read again, the same
}

TEST_CASE("A page or a script sent as a file is refused with a problem answer and nothing is kept") {
  World w(std::map<std::string, std::string>{{"RELANCE_API_MAX_ATTACHMENT_BYTES", "2000"}});
  const auto contact = contact_of(w.alpha_member);
  const std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(document.cookie)</script></svg>";
  for (const auto& [type, body] : std::map<std::string, std::string>{
           {"image/svg+xml", svg}, {"text/html; charset=utf-8", "<!doctype html><script>fetch('/api/v1/me')</script>"},
           {"application/pdf", "%PDF-1.7\n"}, {"image/gif", "GIF89a"}}) {
    auto refused = upload(w.alpha_member, contact, body, type);
    INFO(type << ": " << refused.body);
    CHECK(refused.status == 415);
    CHECK(refused.header("content-type") == "application/problem+json");
    CHECK(refused.json().at("detail").as_string().find("image/jpeg, image/png or image/webp") != std::string::npos);
  }
  auto big = upload(w.alpha_member, contact, png_bytes(2001));
  CHECK(big.status == 413);
  CHECK(big.header("content-type") == "application/problem+json");
  CHECK(big.json().at("detail").as_string().find("2000 bytes") != std::string::npos);
  CHECK(files_of(w.alpha_member, contact).empty());
}
