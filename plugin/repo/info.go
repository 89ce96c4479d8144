package repo

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// InfoFile is the name of a plugin's description file.
const InfoFile = "plugin-info"

// Info is what an installed plugin's plugin-info says.
type Info struct {
	Version      string
	Description  string
	Descriptions map[string]string
	// Models is the number of capabilities entries ("vendor, model,
	// version"), the models the plugin supports.
	Models int
}

// LocalDescription returns the description for a locale such as "fr_FR".
func (i *Info) LocalDescription(locale string) string {
	return localDescription(i.Description, i.Descriptions, locale)
}

// ReadInfo reads DIR/plugin-info. It must be a JSON object with a version,
// a description and capabilities, as provd requires.
func ReadInfo(dir string) (*Info, error) {
	p := filepath.Join(dir, InfoFile)
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	return parseInfo(p, data)
}

func parseInfo(name string, data []byte) (*Info, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil || raw == nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("%s: not valid JSON: %w", name, err)
		}
		return nil, fmt.Errorf("%s: not a JSON object", name)
	}
	info := &Info{Descriptions: map[string]string{}}
	for k, dst := range map[string]*string{"version": &info.Version, "description": &info.Description} {
		v, ok := raw[k]
		if !ok {
			return nil, fmt.Errorf("%s: missing key %q", name, k)
		}
		if err := json.Unmarshal(v, dst); err != nil {
			return nil, fmt.Errorf("%s: %s is not a string", name, k)
		}
	}
	var caps map[string]json.RawMessage
	if err := json.Unmarshal(raw["capabilities"], &caps); err != nil || caps == nil {
		return nil, fmt.Errorf("%s: capabilities is missing or not a JSON object", name)
	}
	info.Models = len(caps)
	for k, v := range raw {
		if lang, ok := strings.CutPrefix(k, "description_"); ok {
			var s string
			if json.Unmarshal(v, &s) == nil {
				info.Descriptions[strings.ToLower(lang)] = s
			}
		}
	}
	return info, nil
}
