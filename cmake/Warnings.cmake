# relance_warnings(target): the warning set every target of ours compiles with.
# RELANCE_WERROR (on in CI and the test command) turns them into errors.
function(relance_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
    -Woverloaded-virtual -Wconversion -Wsign-conversion
    -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
  # Not -Wmaybe-uninitialized in optimised GCC 12 builds: at -O2 it reports from inside
  # libstdc++'s own inlined code (std::variant holding a string, shared_ptr, basic_string),
  # where we cannot act on it. Debug builds (the test command's) keep it.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE $<$<NOT:$<CONFIG:Debug>>:-Wno-maybe-uninitialized>)
  endif()
  if(RELANCE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
