# relance_warnings(target): the warning set every target of ours compiles with.
# RELANCE_WERROR (on in CI and the test command) turns them into errors.
# Not: at -O2, GCC 12 reports it from inside libstdc++'s own inlined
# code (shared_ptr, basic_string), where we cannot act on it.
function(relance_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
    -Woverloaded-virtual -Wconversion -Wsign-conversion
    -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
  if(RELANCE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
