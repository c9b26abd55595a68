# The asan preset sets RELANCE_SANITIZE: AddressSanitizer and UBSan on everything we build,
# with UBSan findings fatal so a test cannot pass over one.
if(RELANCE_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
