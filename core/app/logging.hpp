// The one logging setup: spdlog to the console, to a rotating file in the data directory,
// as text or as JSON lines.
#pragma once

#include "app/config.hpp"

namespace relance::app {

void setup_logging(const Config& c);

}  // namespace relance::app
