/* Relance plugin SDK: every header of the C contract. */
#ifndef RELANCE_RELANCE_H
#define RELANCE_RELANCE_H

#include "relance/version.h"
#include "relance/types.h"
#include "relance/entry.h"
#include "relance/event_sink.h"
#include "relance/exporter.h"
#include "relance/settings.h"
#include "relance/host/log.h"
#include "relance/host/config.h"
#include "relance/host/state.h"
#include "relance/host/query.h"
#include "relance/host/clock.h"
#include "relance/host/outbound.h"
#include "relance/host/http.h"    /* since 1.5 */
#include "relance/host/suspend.h" /* since 1.5 */
#include "relance/json_reader.h" /* since 1.4: a reader compiled into the plugin, no ABI */

#endif
