// Routes of a contact's files (services/attachments.hpp): the photo of a business card is
// sent as the body of a POST, read back as it was with headers that keep a browser from
// running it, listed on the contact, and deleted with If-Match.
#pragma once

#include "api/router.hpp"
#include "services/attachments.hpp"

namespace relance::api {

void add_attachment_routes(Router& router, services::AttachmentService& attachments);

}  // namespace relance::api
