/* Fixture: a plugin of a future epoch. It exports relance_plugin_entry_v2 only (what an
 * epoch-2 SDK would define), so an epoch-1 daemon must refuse it and say why. */
#include "relance/types.h"

#if defined(__GNUC__)
#define EXPORT __attribute__((visibility("default")))
#else
#define EXPORT
#endif

struct epoch2_entry {
  uint32_t struct_size;
  uint32_t sdk_epoch;
  uint32_t sdk_minor;
  uint32_t sdk_patch;
  const char* id;
};

EXPORT const struct epoch2_entry relance_plugin_entry_v2 = {sizeof(struct epoch2_entry), 2, 0, 0,
                                                            "org.relance.fixture.epoch2"};
