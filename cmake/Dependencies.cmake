# Every third-party library, found once here. scripts/install-deps.sh installs them
# from Debian 12's packages.
find_package(Threads REQUIRED)
find_package(Boost 1.81.0 EXACT REQUIRED CONFIG COMPONENTS json url filesystem)
find_package(SQLiteCpp REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(date REQUIRED)
find_package(CURL REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)

# libphonenumber: headers unpacked by scripts/install-deps.sh into .deps/ (its Debian -dev
# package drags in Boost 1.74), the shared library from the libphonenumber8 package.
find_path(PHONENUMBER_INCLUDE_DIR phonenumbers/phonenumberutil.h
  HINTS "${CMAKE_SOURCE_DIR}/.deps/usr/include" REQUIRED)
find_library(PHONENUMBER_LIBRARY NAMES libphonenumber.so.8 phonenumber REQUIRED)
find_package(Protobuf REQUIRED)
add_library(relance_phonenumber INTERFACE)
target_include_directories(relance_phonenumber SYSTEM INTERFACE "${PHONENUMBER_INCLUDE_DIR}")
target_link_libraries(relance_phonenumber INTERFACE "${PHONENUMBER_LIBRARY}" protobuf::libprotobuf)
