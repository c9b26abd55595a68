# Use ccache when it is installed: rebuilds of unchanged translation units are free.
find_program(RELANCE_CCACHE ccache)
if(RELANCE_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_C_COMPILER_LAUNCHER "${RELANCE_CCACHE}")
  set(CMAKE_CXX_COMPILER_LAUNCHER "${RELANCE_CCACHE}")
endif()
