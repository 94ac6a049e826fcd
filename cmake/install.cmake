# SPDX-License-Identifier: MIT
# What `cmake --install` adds besides the libraries and headers: the CMake
# package (find_package(zcomm) -> zcomm::zcomm, zcomm::zcomm_static) and
# the pkg-config file (pkg-config --cflags --libs zcomm).
include(CMakePackageConfigHelpers)

set(ZC_CMAKE_DIR lib/cmake/zcomm)
if(TARGET PkgConfig::IBVERBS AND TARGET PkgConfig::RDMACM)
  set(ZC_CFG_VERBS TRUE)	# the verbs provider links libibverbs, librdmacm
else()
  set(ZC_CFG_VERBS FALSE)
endif()
if(TARGET PkgConfig::URING AND TARGET PkgConfig::SODIUM)
  set(ZC_CFG_URING TRUE)	# the tcp provider links liburing and libsodium
else()
  set(ZC_CFG_URING FALSE)
endif()
install(EXPORT zcommTargets NAMESPACE zcomm:: DESTINATION ${ZC_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/zcommConfig.cmake.in
  ${PROJECT_BINARY_DIR}/zcommConfig.cmake INSTALL_DESTINATION ${ZC_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/zcommConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/zcommConfig.cmake
              ${PROJECT_BINARY_DIR}/zcommConfigVersion.cmake
        DESTINATION ${ZC_CMAKE_DIR})

# Private dependencies, for static linking (pkg-config --static).
set(ZC_PC_REQUIRES_PRIVATE "pmix hwloc")
if(TARGET PkgConfig::URING AND TARGET PkgConfig::SODIUM)
  string(APPEND ZC_PC_REQUIRES_PRIVATE " liburing libsodium")
endif()
if(ZC_CFG_VERBS)
  string(APPEND ZC_PC_REQUIRES_PRIVATE " libibverbs librdmacm")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/zcomm.pc.in
               ${PROJECT_BINARY_DIR}/zcomm.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/zcomm.pc DESTINATION lib/pkgconfig)
# The build tree's own (PKG_CONFIG_PATH=<build>/pkgconfig): headers from
# the sources, the library from the build, found at run time by rpath.
file(CONFIGURE OUTPUT ${PROJECT_BINARY_DIR}/pkgconfig/zcomm.pc CONTENT
"includedir=${PROJECT_SOURCE_DIR}/include
libdir=${PROJECT_BINARY_DIR}

Name: zcomm
Description: one-sided and collective communication runtime (build tree)
Version: ${PROJECT_VERSION}
Requires.private: ${ZC_PC_REQUIRES_PRIVATE}
Libs: -L\${libdir} -Wl,-rpath,\${libdir} -lzcomm
Libs.private: -lpthread
Cflags: -I\${includedir}
" @ONLY)
