package settings

import (
	"reflect"
	"sort"
)

// sections names the section each field of Settings is read from, in the
// order the README lists them.
var sections = []struct {
	field, name string
}{
	{"General", "general"}, {"TFTP", "tftp"}, {"AMI", "ami"}, {"ARI", "ari"}, {"Resync", "resync"},
	{"Security", "security"}, {"Plugins", "plugins"}, {"DHCP", "dhcp"}, {"Admin", "admin"},
}

// Same reports whether s and o hold the same values, wherever they were
// written (the files they were read from and the lines of each setting
// do not count).
func (s *Settings) Same(o *Settings) bool {
	return len(Changed(s, o)) == 0
}

// Changed lists the sections whose values differ between old and new,
// as "[general]", "[security]", "[profile:polycom]" (a profile section
// added or removed counts), sections in the README's order, then
// profiles by name. Either may be nil, which counts as the defaults.
func Changed(old, new *Settings) []string {
	if old == nil {
		old = Defaults()
	}
	if new == nil {
		new = Defaults()
	}
	var out []string
	ov, nv := reflect.ValueOf(old).Elem(), reflect.ValueOf(new).Elem()
	for _, sec := range sections {
		if !reflect.DeepEqual(ov.FieldByName(sec.field).Interface(), nv.FieldByName(sec.field).Interface()) {
			out = append(out, "["+sec.name+"]")
		}
	}
	var profiles []string
	for name, p := range old.Profiles {
		if q, ok := new.Profiles[name]; !ok || !reflect.DeepEqual(p, q) {
			profiles = append(profiles, name)
		}
	}
	for name := range new.Profiles {
		if _, ok := old.Profiles[name]; !ok {
			profiles = append(profiles, name)
		}
	}
	sort.Strings(profiles)
	for _, name := range profiles {
		out = append(out, "[profile:"+name+"]")
	}
	return out
}
