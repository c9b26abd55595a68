# The web app (web/app/) and the web tools of web/package.json (esbuild, the TypeScript
# compiler, the OpenAPI client generator and meta-schema validator, the browser test's
# playwright-core and axe-core), installed by `npm ci` from the committed
# web/package-lock.json into ${RELANCE_WEB_DIR}/node_modules, in the build tree: nothing is
# written under web/. The install reruns only when package.json or the lock changes (its
# stamp's dependencies); the bundle when a file of web/app/ or the build script changes.
#   RELANCE_NODE                the node that runs them
#   RELANCE_WEB_NODE_MODULES    their node_modules
#   relance_web_tools           the target that installs them
#   relance_web_app             the target that bundles the app into RELANCE_WEB_APP_DIR (all)
# Without Node.js the daemon still builds and serves the API; / then answers a page saying
# the web app was not built.
find_program(RELANCE_NODE NAMES node nodejs DOC "Node.js, for the web app and the web tools (web/)")
find_program(RELANCE_NPM NAMES npm DOC "npm, to install the web tools of web/package-lock.json")
set(RELANCE_WEB_DIR ${CMAKE_BINARY_DIR}/web)
set(RELANCE_WEB_NODE_MODULES ${RELANCE_WEB_DIR}/node_modules)
if(NOT RELANCE_NODE OR NOT RELANCE_NPM)
  # Building the daemon alone (scripts/serve.sh) needs no Node.js; the tests that do fail
  # to build, saying what to install, rather than being left out.
  message(WARNING "node or npm not found: the web app is not built (the daemon serves the API, and / says the app "
                  "is missing) and the web tests will not build (scripts/install-deps.sh installs Debian's nodejs and npm)")
  add_custom_target(relance_web_tools
    COMMAND ${CMAKE_COMMAND} -E echo "node and npm are needed for the web tools of web/package-lock.json: run scripts/install-deps.sh"
    COMMAND ${CMAKE_COMMAND} -E false
    VERBATIM)
  add_custom_target(relance_web_app
    COMMAND ${CMAKE_COMMAND} -E echo "node and npm not found: the web app is not built (the daemon's / says so)"
    VERBATIM)
  set(RELANCE_NODE node)
  return()
endif()

# npm trusts the system's certificate store, as apt and curl do (Debian's, with the local
# authorities an administrator added), not only the list node was built with.
set(npm_tls)
if(EXISTS /etc/ssl/certs/ca-certificates.crt)
  set(npm_tls --cafile=/etc/ssl/certs/ca-certificates.crt)
endif()
file(MAKE_DIRECTORY ${RELANCE_WEB_DIR})
set(web_manifests ${PROJECT_SOURCE_DIR}/web/package.json ${PROJECT_SOURCE_DIR}/web/package-lock.json)
add_custom_command(
  OUTPUT ${RELANCE_WEB_DIR}/npm-ci.stamp
  COMMAND ${CMAKE_COMMAND} -E copy ${web_manifests} ${RELANCE_WEB_DIR}
  COMMAND ${RELANCE_NPM} ci --no-audit --no-fund ${npm_tls}
  COMMAND ${CMAKE_COMMAND} -E touch ${RELANCE_WEB_DIR}/npm-ci.stamp
  DEPENDS ${web_manifests}
  WORKING_DIRECTORY ${RELANCE_WEB_DIR}
  COMMENT "npm ci: the web tools of web/package-lock.json"
  VERBATIM)
add_custom_target(relance_web_tools DEPENDS ${RELANCE_WEB_DIR}/npm-ci.stamp)

# The app: web/tools/build-app.mjs bundles web/app/main.tsx with esbuild (minified, names
# hashed), writes index.html naming the bundle, and a gzip twin of each file.
file(GLOB_RECURSE web_app_sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/web/app/*)
set(web_app_builder ${PROJECT_SOURCE_DIR}/web/tools/build-app.mjs)
add_custom_command(
  OUTPUT ${RELANCE_WEB_DIR}/app.stamp
  COMMAND ${RELANCE_NODE} ${web_app_builder} ${PROJECT_SOURCE_DIR}/web/app ${RELANCE_WEB_APP_DIR} ${RELANCE_WEB_NODE_MODULES}
  COMMAND ${CMAKE_COMMAND} -E touch ${RELANCE_WEB_DIR}/app.stamp
  DEPENDS ${RELANCE_WEB_DIR}/npm-ci.stamp ${web_app_sources} ${web_app_builder}
  WORKING_DIRECTORY ${RELANCE_WEB_DIR}
  COMMENT "esbuild: the web app (web/app/) into ${RELANCE_WEB_APP_DIR}"
  VERBATIM)
add_custom_target(relance_web_app ALL DEPENDS ${RELANCE_WEB_DIR}/app.stamp)
install(DIRECTORY ${RELANCE_WEB_APP_DIR}/ DESTINATION ${CMAKE_INSTALL_DATADIR}/relance/web OPTIONAL)
