# NanoRnn.Native for nf-interpreter's build (docs/native.md): with NanoRnn.Native in the
# NF_INTEROP_ASSEMBLIES option, the build finds this module (copy it into nf-interpreter's
# CMake/Modules, or add this folder to CMAKE_MODULE_PATH) and compiles the sources below into
# the firmware. NANORNN_NATIVE_DIR is this folder, found from the module's own location.

get_filename_component(NANORNN_NATIVE_DIR "${CMAKE_CURRENT_LIST_DIR}" ABSOLUTE)
if(NOT EXISTS "${NANORNN_NATIVE_DIR}/nanornn_interop.cpp")
    # The module was copied away from firmware/NanoRnn.Native/native: say where the sources are.
    set(NANORNN_NATIVE_DIR "${NANORNN_NATIVE_SOURCE_DIR}")
endif()

set(NanoRnn.Native_INCLUDE_DIRS
    ${NANORNN_NATIVE_DIR}
    ${PROJECT_SOURCE_DIR}/src/CLR/Core
    ${PROJECT_SOURCE_DIR}/src/CLR/Include
    ${PROJECT_SOURCE_DIR}/src/HAL/Include
    ${PROJECT_SOURCE_DIR}/src/PAL/Include)

set(NanoRnn.Native_SOURCES
    ${NANORNN_NATIVE_DIR}/nanornn_interop.cpp
    ${NANORNN_NATIVE_DIR}/nanornn_kernels.c
    ${NANORNN_NATIVE_DIR}/nanornn_tables.c)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(INTEROP-NanoRnn.Native DEFAULT_MSG NanoRnn.Native_INCLUDE_DIRS NanoRnn.Native_SOURCES)
