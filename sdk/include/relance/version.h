/* Relance plugin SDK: version of the C ABI contract.
 *
 * The SDK is versioned epoch.minor.patch. A minor release only adds; a plugin built with
 * any minor of an epoch loads into every daemon of that epoch. What each release added is in
 * CHANGES-ABI.md, and the guide in sdk.md, both installed with these headers in
 * <prefix>/share/doc/relance-sdk/. */
#ifndef RELANCE_VERSION_H
#define RELANCE_VERSION_H

#define RELANCE_SDK_EPOCH 1
#define RELANCE_SDK_MINOR 6
#define RELANCE_SDK_PATCH 0

#endif
