#include "services/account_rules.hpp"

#include <string>

#include "domain/problem.hpp"

namespace relance::services {
using auth::Principal;
using auth::Role;
namespace ent = storage::entities;

namespace {

Role role_in(const storage::Value& v) {
  const auto* s = std::get_if<std::string>(&v);
  return auth::parse_role(s ? *s : std::string()).value_or(Role::member);
}

}  // namespace

void check_role_grant(const Principal& p, const OrgSettings& org, const storage::Value& role) {
  const Role r = role_in(role);
  if (p.is_admin()) {
    if (r == Role::staff && org.kind != "region")
      throw Problem::invalid("role", "staff users belong to the region's organisation");
    return;
  }
  if (!p.manages_org()) throw Problem::forbidden("only an org-admin manages users");
  if (r == Role::staff || r == Role::admin)
    throw Problem::forbidden("only the instance admin gives the staff or admin role");
}

void check_account_change(const Principal& p, const storage::Row& target,
                          const boost::json::object& body) {
  if (target.id == p.user_id) {
    for (const auto& kv : body) {
      // Demoting or disabling oneself could leave an organisation, or the instance, with
      // no administrator: another one does it.
      if (kv.key() == "role" || kv.key() == "disabled")
        throw Problem::forbidden("your own " + std::string(kv.key()) +
                                 " is changed by another administrator");
      if (kv.key() == "email" && !p.manages_org())
        throw Problem::forbidden("only an org-admin changes email");
    }
    return;
  }
  if (p.is_admin()) return;
  if (!p.manages_org()) throw Problem::forbidden("only an org-admin changes other users");
  // An org-admin sees every user of their organisation; the region's includes its staff
  // and the instance admin, whose accounts are above theirs.
  const Role target_role = role_in(target.get(ent::users, "role"));
  if (target_role == Role::staff || target_role == Role::admin)
    throw Problem::forbidden("only the instance admin changes a " +
                             std::string(auth::role_name(target_role)) + " account");
}

}  // namespace relance::services
