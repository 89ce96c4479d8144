package main

import "github.com/phoneprovd/phoneprovd/plugin"

// defaultPluginEngine is the Jinja2 engine plugin templates are rendered
// with. TODO(plugins): phoneprovd's own engine (package jinja) is not in
// this branch yet; until it is, "plugin render" reports that it has none.
func defaultPluginEngine() plugin.Engine { return nil }
