# The asan preset sets RELANCE_SANITIZE: AddressSanitizer and UBSan on everything we build,
# with UBSan findings fatal so a test cannot pass over one.
if(RELANCE_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

# The fuzz preset sets RELANCE_FUZZ (clang only): every library is built with libFuzzer's
# coverage instrumentation and the same sanitizers; the targets of tests/fuzz link libFuzzer.
if(RELANCE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "RELANCE_FUZZ needs clang (libFuzzer): use the fuzz preset")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
