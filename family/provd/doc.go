// Package provd is the contract between phoneprovd and the families that
// stand in for the Python of Wazo's provd plugins (wazo-provd-plugins), and
// the provd data model they share: the ordered raw-config dictionary, the
// device, the association ratings of pgasso and the standard SIP NOTIFY.
//
// A Wazo plugin is a directory of data (plugin-info, pkgs/pkgs.db,
// Jinja2 templates, static files) plus Python that identifies phones,
// rates them, computes the XX_ values its templates read and names the
// files. phoneprovd loads the data unchanged (package plugin) and supplies
// the Python as Go: a family's Provd constructor returns a Plugin for one
// of its plugins, and the Plugin's Configure says which files to write
// from which templates with which values. Rendering stays with the caller,
// so families depend on no template engine.
package provd
