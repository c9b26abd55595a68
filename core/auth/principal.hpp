// Principal: who is calling, as established from their bearer token.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace relance::auth {

enum class Role { member, org_admin, staff, admin };

std::optional<Role> parse_role(std::string_view s);
std::string_view role_name(Role r);

struct Principal {
  std::int64_t user_id = 0;
  std::int64_t org_id = 0;
  std::int64_t token_id = 0;
  Role role = Role::member;
  bool can_write = false;  // false for read-only personal tokens

  bool is_admin() const { return role == Role::admin; }
  bool is_staff() const { return role == Role::staff; }
  bool manages_org() const { return role == Role::org_admin || role == Role::admin; }
};

}  // namespace relance::auth
