# relance_add_plugin(<name> [JSON_READER] SOURCES <file>...)
#
# JSON_READER compiles the SDK's JSON reader (relance/json_reader.h) into the plugin: as C,
# or as C++ in a project that does not enable C.
#
# Builds a Relance plugin: a shared library the daemon dlopen()s, named <name>.so (no "lib"
# prefix), that exports exactly one symbol, relance_plugin_entry_v1, and depends on nothing of
# Relance. The same file serves the source tree (included by sdk/CMakeLists.txt) and an
# installed SDK (included by RelanceSDKConfig.cmake), so plugins build the same both ways.
include_guard(GLOBAL)

# The version script sits beside this file, in the source tree and once installed alike.
# A global property, since the function runs in its callers' scopes, not in this file's.
set_property(GLOBAL PROPERTY RELANCE_PLUGIN_VERSION_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/relance-plugin.map")
# The JSON reader's source: sdk/src/ in the source tree, share/relance-sdk/src/ once installed.
foreach(candidate "${CMAKE_CURRENT_LIST_DIR}/../src/json_reader.c"
                  "${CMAKE_CURRENT_LIST_DIR}/../../../share/relance-sdk/src/json_reader.c")
  get_filename_component(candidate "${candidate}" ABSOLUTE)
  if(EXISTS "${candidate}")
    set_property(GLOBAL PROPERTY RELANCE_JSON_READER_SOURCE "${candidate}")
    break()
  endif()
endforeach()

function(relance_add_plugin name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "JSON_READER" "" "SOURCES")
  if(NOT arg_SOURCES OR arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "relance_add_plugin(${name} SOURCES <file>...): sources missing or unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  get_property(script GLOBAL PROPERTY RELANCE_PLUGIN_VERSION_SCRIPT)
  # MODULE: loaded with dlopen, never linked against; the daemon looks for <name>.so.
  add_library(${name} MODULE ${arg_SOURCES})
  if(arg_JSON_READER)
    get_property(reader GLOBAL PROPERTY RELANCE_JSON_READER_SOURCE)
    target_sources(${name} PRIVATE "${reader}")
    get_property(languages GLOBAL PROPERTY ENABLED_LANGUAGES)
    if(NOT "C" IN_LIST languages)
      set_source_files_properties("${reader}" TARGET_DIRECTORY ${name} PROPERTIES LANGUAGE CXX)
    endif()
  endif()
  # The SDK is header-only: linking it only adds include paths. RelanceSDK::sdk is the
  # imported target once installed, and an alias of relance_sdk in the source tree.
  target_link_libraries(${name} PRIVATE RelanceSDK::sdk)
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    # Hidden by default: only what RELANCE_EXPORT marks (the entry) is visible, so two
    # plugins' helpers never interpose each other or the daemon's symbols.
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    # Relinks when the script changes.
    LINK_DEPENDS "${script}")
  target_link_options(${name} PRIVATE
    # Belt and braces: even a symbol made visible by a third-party header stays local.
    "LINKER:--version-script,${script}"
    # Every reference resolved at link time: a plugin cannot lean on symbols of the daemon.
    "LINKER:--no-undefined")
  # Lets the build list its plugins (tests/sdk checks the symbols of each).
  set_property(GLOBAL APPEND PROPERTY RELANCE_PLUGIN_TARGETS ${name})
endfunction()
