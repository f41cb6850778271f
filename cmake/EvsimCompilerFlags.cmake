# Warnings and sanitizer flags shared by every evsim target.
add_library(evsim_flags INTERFACE)
target_compile_options(evsim_flags INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                             -Wold-style-cast -Wcast-align)

if(EVSIM_SANITIZE)
  # Applied globally so GoogleTest mains, Boost separate-compilation units and our code agree on the ABI.
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# Test helper: a GoogleTest executable registered with CTest, with a time bound on every test.
# EVSIM_TEST_PER_CASE (the default) registers every GoogleTest case as its own CTest test: fine-grained
# reports and time bounds. Off, each executable is one CTest test running all its cases in one
# process: the sanitizer build uses that, because starting an instrumented binary once per case
# (over a thousand times) cost more than the tests themselves.
function(evsim_add_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBS" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 120)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} evsim_flags GTest::gtest_main)
  evsim_register_gtest(${name} "" "" ${ARG_TIMEOUT})
endfunction()

# Registers `target`'s cases (or the whole executable) with CTest; `suffix` names a second run of the
# same executable, `environment` its environment ("NAME=value" or empty).
function(evsim_register_gtest target suffix environment timeout)
  if(EVSIM_TEST_PER_CASE)
    if(environment)
      gtest_discover_tests(${target} TEST_SUFFIX "${suffix}" DISCOVERY_TIMEOUT 60
        PROPERTIES TIMEOUT ${timeout} ENVIRONMENT "${environment}")
    else()
      gtest_discover_tests(${target} TEST_SUFFIX "${suffix}" DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT ${timeout})
    endif()
  else()
    add_test(NAME ${target}${suffix} COMMAND ${target})
    # A whole executable: the per-case bound times a generous number of cases.
    set_tests_properties(${target}${suffix} PROPERTIES TIMEOUT 1200)
    if(environment)
      set_tests_properties(${target}${suffix} PROPERTIES ENVIRONMENT "${environment}")
    endif()
  endif()
endfunction()

# Compiles `target` with evsim_net's precompiled Beast/Asio header. GCC accepts a precompiled header
# built with other -D macros as long as those macros do not appear in it (ours are paths such as
# EVSIM_CASES_DIR), and every target shares evsim_flags and the global sanitizer flags, so one
# header serves all of them.
function(evsim_reuse_net_pch target)
  target_precompile_headers(${target} REUSE_FROM evsim_net)
endfunction()

# A precompiled header for test executables: `headers` (GoogleTest, and Beast for the networking
# tests) built once in an object library named `name` with the flags its users have (the libraries
# in `libs`, evsim_flags, GoogleTest). Parsing gtest.h alone costs about a second per test file.
function(evsim_add_test_pch name)
  cmake_parse_arguments(ARG "" "" "HEADERS;LIBS" ${ARGN})
  add_library(${name} OBJECT ${PROJECT_SOURCE_DIR}/cmake/pch_anchor.cpp)
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} evsim_flags GTest::gtest)
  target_precompile_headers(${name} PRIVATE ${ARG_HEADERS})
endfunction()

function(evsim_reuse_test_pch target pch)
  target_precompile_headers(${target} REUSE_FROM ${pch})
endfunction()
