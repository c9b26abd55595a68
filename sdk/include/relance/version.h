/* Relance plugin SDK: version of the C ABI contract.
 *
 * The SDK is versioned epoch.minor.patch. A minor release only adds; a plugin built with
 * any minor of an epoch loads into every daemon of that epoch. The plugin roles and host
 * services of epoch 1 arrive with the SDK (see DESIGN.md, "The SDK contract"). */
#ifndef RELANCE_VERSION_H
#define RELANCE_VERSION_H

#define RELANCE_SDK_EPOCH 1
#define RELANCE_SDK_MINOR 3
#define RELANCE_SDK_PATCH 0

#endif
