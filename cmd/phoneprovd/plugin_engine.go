package main

import "github.com/phoneprovd/phoneprovd/plugin"

// defaultPluginEngine is the Jinja2 engine plugin templates are rendered
// with: phoneprovd's own (package jinja), with its default limits.
func defaultPluginEngine() plugin.Engine { return plugin.JinjaEngine{} }
