package provd

import (
	"errors"
	"fmt"
	"strings"
)

// Device is a provd device (wazo_provd/devices/device.py). Empty string
// fields are absent: provd's plugins test "'mac' in device".
type Device struct {
	ID      string
	MAC     string // as provd stores it: "00:0f:d3:aa:bb:01"
	IP      string
	Vendor  string
	Model   string
	Version string
	Plugin  string
	Config  string
	// RemoteStateSIPUsername is the line-1 user name the device had when it
	// last fetched its trigger file (remote_state_sip_username).
	RemoteStateSIPUsername string
	// Options are the device's options (e.g. "switchboard"); nil when
	// absent.
	Options *Dict
}

// DecodeDevice reads a device as provd's REST API writes it: the device
// object itself, {"device": {...}}, or a device search's
// {"devices": [{...}]} holding exactly one. Unknown keys are ignored;
// known keys of the wrong type are an error.
func DecodeDevice(data []byte) (Device, error) {
	v, err := DecodeJSON(data)
	if err != nil {
		return Device{}, err
	}
	d, ok := v.(*Dict)
	if !ok {
		return Device{}, errors.New("device: not a JSON object")
	}
	if inner, ok := d.Get("device"); ok && d.Len() == 1 {
		if d, ok = inner.(*Dict); !ok {
			return Device{}, errors.New(`device: "device" is not an object`)
		}
	} else if list, ok := d.Get("devices"); ok && d.Len() == 1 {
		l, ok := list.([]any)
		if !ok || len(l) != 1 {
			return Device{}, errors.New(`device: "devices" does not hold exactly one device`)
		}
		if d, ok = l[0].(*Dict); !ok {
			return Device{}, errors.New(`device: "devices" holds no object`)
		}
	}
	var dev Device
	for _, f := range []struct {
		key string
		dst *string
	}{
		{"id", &dev.ID}, {"mac", &dev.MAC}, {"ip", &dev.IP}, {"vendor", &dev.Vendor},
		{"model", &dev.Model}, {"version", &dev.Version}, {"plugin", &dev.Plugin},
		{"config", &dev.Config}, {"remote_state_sip_username", &dev.RemoteStateSIPUsername},
	} {
		v, ok := d.Get(f.key)
		if !ok || v == nil {
			continue
		}
		s, ok := v.(string)
		if !ok {
			return Device{}, fmt.Errorf("device: %q is not a string", f.key)
		}
		*f.dst = s
	}
	if dev.MAC != "" {
		mac, err := NormMAC(dev.MAC)
		if err != nil {
			return Device{}, fmt.Errorf("device: mac: %w", err)
		}
		dev.MAC = mac
	}
	if v, ok := d.Get("options"); ok && v != nil {
		o, ok := v.(*Dict)
		if !ok {
			return Device{}, errors.New(`device: "options" is not an object`)
		}
		dev.Options = o
	}
	return dev, nil
}

// DecodeRawConfig reads a raw config as provd's REST API writes it: the
// object itself or {"raw_config": {...}}, keys in file order.
func DecodeRawConfig(data []byte) (*Dict, error) {
	v, err := DecodeJSON(data)
	if err != nil {
		return nil, err
	}
	d, ok := v.(*Dict)
	if !ok {
		return nil, errors.New("raw config: not a JSON object")
	}
	if inner, ok := d.Get("raw_config"); ok && d.Len() == 1 {
		if d, ok = inner.(*Dict); !ok {
			return nil, errors.New(`raw config: "raw_config" is not an object`)
		}
	}
	return d, nil
}

// NormMAC is provd's norm_mac: a MAC with or without ':' or '-'
// separators, any case, as lower-case colon-separated pairs.
func NormMAC(s string) (string, error) {
	hex := s
	if len(s) == 17 {
		sep := s[2]
		if sep != ':' && sep != '-' {
			return "", fmt.Errorf("invalid MAC %q", s)
		}
		var b strings.Builder
		for i := 0; i < 17; i++ {
			if i%3 == 2 {
				if s[i] != sep {
					return "", fmt.Errorf("invalid MAC %q", s)
				}
				continue
			}
			b.WriteByte(s[i])
		}
		hex = b.String()
	}
	if len(hex) != 12 {
		return "", fmt.Errorf("invalid MAC %q", s)
	}
	out := make([]byte, 0, 17)
	for i := 0; i < 12; i++ {
		c := hex[i]
		switch {
		case '0' <= c && c <= '9', 'a' <= c && c <= 'f':
		case 'A' <= c && c <= 'F':
			c += 'a' - 'A'
		default:
			return "", fmt.Errorf("invalid MAC %q", s)
		}
		if i > 0 && i%2 == 0 {
			out = append(out, ':')
		}
		out = append(out, c)
	}
	return string(out), nil
}

// FormatMAC is provd's format_mac: the MAC's hex digits joined by sep, in
// lower or upper case. mac must be valid (NormMAC's output).
func FormatMAC(mac, sep string, upper bool) string {
	digits := strings.ReplaceAll(mac, ":", "")
	if upper {
		digits = strings.ToUpper(digits)
	}
	if sep == "" {
		return digits
	}
	parts := make([]string, 0, 6)
	for i := 0; i+2 <= len(digits); i += 2 {
		parts = append(parts, digits[i:i+2])
	}
	return strings.Join(parts, sep)
}
