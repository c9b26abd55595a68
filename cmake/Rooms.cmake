# relance_room(target folder): makes `folder` (a room of core/, e.g. services) the include
# directory of `target`, and nothing else of core/.
#
# Files include a room's headers as "services/record_service.hpp". Each room's target puts on
# its include path a folder of the build tree that holds one link, named after the room, to
# the room's sources; a target sees its own room and the rooms it links. So an include
# against the arrows of docs/architecture.md (the CLI reaching into services, storage into
# core) fails to build instead of quietly tying the rooms together. tests/include_check.py
# checks the same table from the sources, for the includes a link would allow.
function(relance_room target folder)
  set(dir ${CMAKE_BINARY_DIR}/rooms/${folder})
  file(MAKE_DIRECTORY ${dir})
  file(CREATE_LINK ${CMAKE_CURRENT_SOURCE_DIR}/${folder} ${dir}/${folder} SYMBOLIC)
  target_include_directories(${target} PUBLIC ${dir})
endfunction()
