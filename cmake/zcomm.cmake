# SPDX-License-Identifier: MIT
# Helpers shared by every layer's CMakeLists.txt.

# zc_object_library(name SOURCES ... [INCLUDES dirs] [LIBS libs])
# An object library that ends up inside libzcomm.
function(zc_object_library name)
  cmake_parse_arguments(A "" "" "SOURCES;INCLUDES;LIBS" ${ARGN})
  add_library(${name} OBJECT ${A_SOURCES})
  set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE ON
                        C_VISIBILITY_PRESET default)
  target_include_directories(${name} PRIVATE
    ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR}/core
    ${CMAKE_CURRENT_SOURCE_DIR} ${A_INCLUDES})
  if(A_LIBS)
    target_link_libraries(${name} PRIVATE ${A_LIBS})
    set_property(GLOBAL APPEND PROPERTY ZC_LINK_LIBS ${A_LIBS})
  endif()
  set_property(GLOBAL APPEND PROPERTY ZC_OBJECT_LIBS ${name})
endfunction()

# zc_add_provider(name SOURCES ... [LIBS ...]): a provider is one folder and
# this one call; it joins the list core picks from (in call order).
function(zc_add_provider name)
  cmake_parse_arguments(A "" "" "SOURCES;LIBS;INCLUDES" ${ARGN})
  zc_object_library(zc_prov_${name} SOURCES ${A_SOURCES}
    INCLUDES ${PROJECT_SOURCE_DIR}/transport ${A_INCLUDES} LIBS ${A_LIBS})
  set_property(GLOBAL APPEND PROPERTY ZC_PROVIDER_NAMES ${name})
endfunction()
