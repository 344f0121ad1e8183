# The store's schema lives in lib/store/schema/<backend>/NNNN_name.sql, one file per migration and
# backend (the one source of truth). This embeds them into the store library at configure time as
# ${CMAKE_BINARY_DIR}/generated/store/schema.inc (an initializer list of migrations), and re-runs
# when a file changes or is added. Both backends must have the same numbered files.
set(_schema_dir ${CMAKE_CURRENT_SOURCE_DIR}/lib/store/schema)
file(GLOB _schema_sqlite RELATIVE ${_schema_dir}/sqlite CONFIGURE_DEPENDS ${_schema_dir}/sqlite/*.sql)
file(GLOB _schema_pg RELATIVE ${_schema_dir}/postgres CONFIGURE_DEPENDS ${_schema_dir}/postgres/*.sql)
list(SORT _schema_sqlite)
list(SORT _schema_pg)
if(NOT _schema_sqlite STREQUAL _schema_pg)
  message(FATAL_ERROR "lib/store/schema: sqlite/ has [${_schema_sqlite}] but postgres/ has [${_schema_pg}]; "
                      "every migration needs a file of the same name for both databases")
endif()
set(_schema_out "// Generated from lib/store/schema by cmake/store_schema.cmake: edit the .sql files.\n")
set(_expected 1)
foreach(_f IN LISTS _schema_sqlite)
  if(NOT _f MATCHES "^([0-9][0-9][0-9][0-9])_[a-z0-9_]+\\.sql$")
    message(FATAL_ERROR "lib/store/schema: ${_f} is not named NNNN_lowercase_name.sql")
  endif()
  math(EXPR _version "${CMAKE_MATCH_1}")
  if(NOT _version EQUAL _expected)
    message(FATAL_ERROR "lib/store/schema: ${_f} should be migration ${_expected} (no gaps)")
  endif()
  math(EXPR _expected "${_expected} + 1")
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
               ${_schema_dir}/sqlite/${_f} ${_schema_dir}/postgres/${_f})
  file(READ ${_schema_dir}/sqlite/${_f} _sql_sqlite)
  file(READ ${_schema_dir}/postgres/${_f} _sql_pg)
  foreach(_sql IN ITEMS _sql_sqlite _sql_pg)
    if("${${_sql}}" MATCHES "\\)renkei_sql\"")
      message(FATAL_ERROR "lib/store/schema: ${_f} contains the embedding delimiter )renkei_sql\"")
    endif()
  endforeach()
  if(NOT "${_sql_sqlite}" MATCHES "^-- name: ([^\n]+)\n")
    message(FATAL_ERROR "lib/store/schema/sqlite/${_f}: the first line must be '-- name: what it does'")
  endif()
  set(_name "${CMAKE_MATCH_1}")
  if(NOT "${_sql_pg}" MATCHES "^-- name: ([^\n]+)\n" OR NOT "${CMAKE_MATCH_1}" STREQUAL "${_name}")
    message(FATAL_ERROR "lib/store/schema/postgres/${_f}: the first line must be '-- name: ${_name}' as for SQLite")
  endif()
  string(APPEND _schema_out "{${_version}, R\"renkei_sql(${_name})renkei_sql\",\n"
         " R\"renkei_sql(${_sql_sqlite})renkei_sql\",\n R\"renkei_sql(${_sql_pg})renkei_sql\"},\n")
endforeach()
# Written only when it changed, so that an unrelated reconfigure rebuilds nothing.
file(WRITE ${CMAKE_BINARY_DIR}/generated/store/schema.inc.new "${_schema_out}")
file(COPY_FILE ${CMAKE_BINARY_DIR}/generated/store/schema.inc.new
     ${CMAKE_BINARY_DIR}/generated/store/schema.inc ONLY_IF_DIFFERENT)
