// Who may change which account. An organisation's administrator manages its members and
// org-admins, never the region's staff nor the instance admin, so that no one can take over
// an account (and through it the instance) above their own role. docs/api.md, "Users and
// roles", states the rules for API users.
//
// The checks are functions of the caller, the target row and the request only: a change
// is checked before its password is hashed, and again inside the write on the row as it is.
#pragma once

#include <boost/json/object.hpp>

#include "auth/principal.hpp"
#include "relance/storage/store.hpp"
#include "services/org_directory.hpp"

namespace relance::services {

// Refuses (403) a role `p` may not give to a user of organisation `org` (nobody gives a
// role above their own; only the instance admin gives staff or admin), and (422) the staff
// role outside the region's organisation.
void check_role_grant(const auth::Principal& p, const OrgSettings& org, const storage::Value& role);

// Refuses (403) the change `body` of `target`, a user the caller can see (one it cannot see
// is a 404 before this). Another user's account is changed by the instance admin, or by an
// org-admin when it is a member or org-admin of their organisation. On one's own account,
// the role and the disabled flag are another administrator's to change, and the email an
// org-admin's; the password needs the current one (checked by the caller of this).
void check_account_change(const auth::Principal& p, const storage::Row& target,
                          const boost::json::object& body);

}  // namespace relance::services
