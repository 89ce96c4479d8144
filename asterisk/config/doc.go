// Package config reads Asterisk .conf files exactly as Asterisk 20.20.1 does
// (main/config.c: config_text_file_load, process_text_line and
// ast_config_internal_load), so that a program beside Asterisk sees the same
// sections, variables and values that Asterisk itself loads.
//
// The reproduced rules include comments (";", "\;" and nested ";-- --;"
// blocks), section headers with templates "(!)", inheritance "(base,...)" and
// appending "(+)", "=", "=>" and "+=" lines, duplicate sections and keys,
// #include, #tryinclude and #exec directives with glibc glob and brace
// expansion, the 8 KiB line limit and the UTF-8 byte order mark.
//
// Where Asterisk would crash or never return (for example 129 nested block
// comments, a section that inherits from itself, or an include bomb), Load
// returns an *Error instead. Loads are also bounded in total size, lines,
// files, sections, variables and work.
//
// #exec is refused with an error unless Options.ExecIncludes is set.
package config
