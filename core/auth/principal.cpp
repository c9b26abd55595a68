#include "auth/principal.hpp"

namespace relance::auth {

std::optional<Role> parse_role(std::string_view s) {
  if (s == "member") return Role::member;
  if (s == "org-admin") return Role::org_admin;
  if (s == "staff") return Role::staff;
  if (s == "admin") return Role::admin;
  return std::nullopt;
}

std::string_view role_name(Role r) {
  switch (r) {
    case Role::member: return "member";
    case Role::org_admin: return "org-admin";
    case Role::staff: return "staff";
    case Role::admin: return "admin";
  }
  return "member";
}

}  // namespace relance::auth
