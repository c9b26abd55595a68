// One signed message sent to the partner through the daemon's HTTP client
// (relance.host.http/1): the plugin opens no socket, the daemon applies its outbound policy
// and keeps the connection open between messages.
#pragma once

#include <relance/plugin.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include "json_post.hpp"
#include "settings.hpp"

namespace webhook {

using Answer = plugins_shared::PostAnswer;

class Sender {
 public:
  // Throws relance::Error(RELANCE_FATAL) when the daemon offers no relance.host.http/1.
  Sender(const relance::Host& host, const Settings& settings);

  // POSTs `body` (JSON) signed for message `id` at `timestamp` (seconds since 1970).
  Answer post(std::string_view id, std::int64_t timestamp, std::string_view body) const;

 private:
  const relance::Host& host_;
  const Settings& settings_;
  const relance_host_http_v1& http_;
};

}  // namespace webhook
