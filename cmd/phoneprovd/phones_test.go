package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/phoneprovd/phoneprovd/phoneprov/inventory"
)

// TestWritePhonesPlugin: the table names the plugin serving a phone, or
// says it waits to be identified.
func TestWritePhonesPlugin(t *testing.T) {
	var b bytes.Buffer
	writePhones(&b, []inventory.Entry{
		{MAC: "805ec0aabb01", Configured: true, Profile: "wazo-auto", Plugin: "wazo-yealink-v86"},
		{MAC: "000fd3aabb01", Configured: true, Profile: "wazo-auto", PluginPending: true},
		{MAC: "805ec0000054", Configured: true, Profile: "yl", Plugin: "wazo-yealink-v86", PluginPending: true},
		{MAC: "0004f2000001", Configured: true, Profile: "polycom"},
	})
	out := b.String()
	for _, want := range []string{
		"805ec0aabb01  wazo-auto (wazo-yealink-v86) ",
		"000fd3aabb01  wazo-auto (plugin: not identified yet)",
		"805ec0000054  yl (wazo-yealink-v86, not identified yet)",
		"0004f2000001  polycom ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the table lacks %q:\n%s", want, out)
		}
	}
}
