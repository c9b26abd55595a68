# relance_test_python(<var> <modules> <what>): sets <var> to the first python3 that imports
# <modules> ("vobject, icalendar"), Debian's /usr/bin/python3 before one found on PATH, since
# a pyenv or venv python does not see Debian's python3-* packages. Without one it warns that
# <what> will fail (scripts/install-deps.sh installs the packages) and falls back on python3.
function(relance_test_python var modules what)
  set(found "")
  foreach(candidate IN ITEMS /usr/bin/python3 python3)
    find_program(candidate_path NAMES ${candidate} NO_CACHE)
    if(candidate_path AND NOT found)
      execute_process(COMMAND ${candidate_path} -c "import ${modules}"
                      RESULT_VARIABLE import_rc OUTPUT_QUIET ERROR_QUIET)
      if(import_rc EQUAL 0)
        set(found ${candidate_path})
      endif()
    endif()
    unset(candidate_path)
  endforeach()
  if(NOT found)
    message(WARNING "no python3 imports ${modules} (scripts/install-deps.sh installs them): ${what} will fail")
    set(found python3)
  endif()
  set(${var} ${found} PARENT_SCOPE)
endfunction()
