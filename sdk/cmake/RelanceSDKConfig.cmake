# find_package(RelanceSDK 1.0): the imported target RelanceSDK::sdk (header-only C99 contract
# and C++17 layer) and relance_add_plugin(<name> SOURCES ...), which builds a plugin.
include("${CMAKE_CURRENT_LIST_DIR}/RelanceSDKTargets.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/RelanceAddPlugin.cmake")
