package plugin

import (
	"errors"
	"fmt"
	"strings"

	"github.com/phoneprovd/phoneprovd/family/provd"
)

// Info is a plugin's plugin-info: its version, description and
// capabilities per device.
type Info struct {
	Version      string
	Description  string
	Capabilities []Capability // in file order
	// Raw is the whole document, keys in file order (description_fr,
	// vendor.url and whatever else the file has).
	Raw *provd.Dict
}

// Capability is one "Vendor, Model, Version" entry of plugin-info and
// what the plugin says the device has.
type Capability struct {
	Vendor, Model, Version string
	// Lines, FunctionKeys and ExpansionModules are -1 when not given.
	Lines, FunctionKeys, ExpansionModules int
	Type, Protocol                        string
	HighAvailability, Switchboard         bool
	Raw                                   *provd.Dict
}

// ParseInfo parses a plugin-info document. Like provd it requires
// version, description and capabilities; every capability key must read
// "Vendor, Model, Version" and its value be an object with numbers where
// numbers belong. Errors name the line.
func ParseInfo(data []byte) (Info, error) {
	v, err := provd.DecodeJSON(data)
	if err != nil {
		return Info{}, err
	}
	d, ok := v.(*provd.Dict)
	if !ok {
		return Info{}, errors.New("line 1: not a JSON object")
	}
	info := Info{Raw: d}
	for _, k := range []string{"version", "description", "capabilities"} {
		if !d.Has(k) {
			return Info{}, fmt.Errorf("line %d: missing %q", lineOfKey(data, ""), k)
		}
	}
	var isStr bool
	if info.Version, isStr = get[string](d, "version"); !isStr {
		return Info{}, fmt.Errorf("line %d: \"version\" is not a string", lineOfKey(data, "version"))
	}
	if info.Description, isStr = get[string](d, "description"); !isStr {
		return Info{}, fmt.Errorf("line %d: \"description\" is not a string", lineOfKey(data, "description"))
	}
	caps, ok := get[*provd.Dict](d, "capabilities")
	if !ok {
		return Info{}, fmt.Errorf("line %d: \"capabilities\" is not an object", lineOfKey(data, "capabilities"))
	}
	for _, k := range caps.Keys() {
		key := k.(string)
		line := lineOfKey(data, key)
		parts := strings.Split(key, ",")
		if len(parts) != 3 {
			return Info{}, fmt.Errorf("line %d: capability %q is not \"Vendor, Model, Version\"", line, key)
		}
		c := Capability{
			Vendor:  strings.TrimSpace(parts[0]),
			Model:   strings.TrimSpace(parts[1]),
			Version: strings.TrimSpace(parts[2]),
			Lines:   -1, FunctionKeys: -1, ExpansionModules: -1,
		}
		if c.Vendor == "" || c.Model == "" || c.Version == "" {
			return Info{}, fmt.Errorf("line %d: capability %q has an empty field", line, key)
		}
		if c.Raw, ok = get[*provd.Dict](caps, key); !ok {
			return Info{}, fmt.Errorf("line %d: capability %q is not an object", line, key)
		}
		for _, f := range []struct {
			name string
			dst  *int
		}{{"lines", &c.Lines}, {"function_keys", &c.FunctionKeys}, {"expansion_modules", &c.ExpansionModules}} {
			if !c.Raw.Has(f.name) {
				continue
			}
			n, ok := get[int64](c.Raw, f.name)
			if !ok || n < 0 || n > 1<<16 {
				return Info{}, fmt.Errorf("line %d: capability %q: %q is not a count", line, key, f.name)
			}
			*f.dst = int(n)
		}
		c.Type, _ = get[string](c.Raw, "type")
		c.Protocol, _ = get[string](c.Raw, "protocol")
		c.HighAvailability, _ = get[bool](c.Raw, "high_availability")
		c.Switchboard, _ = get[bool](c.Raw, "switchboard")
		info.Capabilities = append(info.Capabilities, c)
	}
	return info, nil
}

// get returns d[key] when it has type T.
func get[T any](d *provd.Dict, key string) (T, bool) {
	v, _ := d.Get(key)
	t, ok := v.(T)
	return t, ok
}

// lineOfKey is the line where "key" first appears as a JSON string in
// data, 1 when it does not.
func lineOfKey(data []byte, key string) int {
	if key == "" {
		return 1
	}
	s := string(data)
	i := strings.Index(s, `"`+key+`"`)
	if i < 0 {
		return 1
	}
	return 1 + strings.Count(s[:i], "\n")
}

// Models expands the capabilities' model names as Wazo writes them,
// "T31(P)(G)(W)" standing for T31, T31P, T31G and T31W, and returns each
// model with the firmware version the plugin gives it, in file order.
func (info Info) Models() []Capability {
	var out []Capability
	for _, c := range info.Capabilities {
		for _, m := range expandModel(c.Model) {
			e := c
			e.Model = m
			out = append(out, e)
		}
	}
	return out
}

// expandModel reads "T31(P)(G)(W)" as T31, T31P, T31G, T31W.
func expandModel(m string) []string {
	base, rest, ok := strings.Cut(m, "(")
	if !ok {
		return []string{m}
	}
	out := []string{base}
	for _, part := range strings.Split("("+rest, "(") {
		if part = strings.TrimSuffix(part, ")"); part != "" {
			out = append(out, base+part)
		}
	}
	return out
}
