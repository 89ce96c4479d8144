// Package plugin loads Wazo provd plugins as they are built — each a
// directory with plugin-info, pkgs/pkgs.db, templates/ and, for the
// administrator, var/templates/ (overrides) and var/tftpboot/ (the files
// served) — and configures devices with them. The plugin's Python is not
// run: the family the plugin's name names (wazo-<family>-<version>, see
// family/families) supplies its behaviour as Go (family/provd), and its
// Jinja2 templates are rendered by an Engine.
//
// A plugin that does not load (malformed plugin-info or pkgs.db, a
// template with a syntax error, a family with no data for its version) is
// refused with the file and line; LoadDir loads the others.
package plugin
