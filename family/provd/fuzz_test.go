package provd

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// FuzzDecodeJSON: DecodeJSON never panics, accepts only what
// encoding/json accepts as one value, and what it returns re-encodes to
// JSON that decodes to the same value (order kept).
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{`{"a": 1, "b": [1.5, null, true], "a": 2}`, `{"sip_lines": {"2": {}, "10": {}}}`, `[]`, `"x"`, `{} x`, `{"a":`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := DecodeJSON(data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "line ") {
				t.Fatalf("error without a line: %v", err)
			}
			return
		}
		if !json.Valid(data) {
			t.Fatalf("accepted invalid JSON %q", data)
		}
		var buf bytes.Buffer
		if err := marshalValue(&buf, v); err != nil {
			return // a number too large for a float64 decodes as ±Inf
		}
		out := buf.Bytes()
		w, err := DecodeJSON(out)
		if err != nil {
			t.Fatalf("re-encoded %q does not decode: %v", out, err)
		}
		if Repr(w) != Repr(v) {
			t.Fatalf("round trip: %s != %s", Repr(w), Repr(v))
		}
		if dev, err := DecodeDevice(data); err == nil && dev.MAC != "" {
			if _, err := NormMAC(dev.MAC); err != nil {
				t.Fatalf("device MAC %q not normalised", dev.MAC)
			}
		}
		if _, err := DecodeRawConfig(data); err != nil && !strings.HasPrefix(err.Error(), "raw config:") {
			t.Fatalf("DecodeRawConfig: %v", err)
		}
	})
}

// FuzzParseTZString: ParseTZString never panics, and a rule it accepts
// gives transitions within a year's reach for any year.
func FuzzParseTZString(f *testing.F) {
	for _, s := range []string{"CET-1CEST,M3.5.0,M10.5.0/3", "<+0330>-3:30", "IST-2IDT,M3.4.4/26,M10.5.0", "EST5EDT,J60/2,300/-167", "UTC0", "A0B,M1.1.0,M12.5.6/167"} {
		f.Add(s, 2026)
	}
	f.Fuzz(func(t *testing.T, s string, year int) {
		r, err := ParseTZString(s)
		if err != nil {
			return
		}
		if year < 1 || year > 9999 {
			year = 2026
		}
		info := r.Info(year)
		if (info.DST != nil) != r.HasDST {
			t.Fatalf("DST %v for %+v", info.DST, r)
		}
		if info.DST != nil {
			for _, c := range []DSTChange{info.DST.Start, info.DST.End} {
				if c.Month < 1 || c.Month > 12 || c.Time < 0 || c.Time >= 86400 || !strings.HasPrefix(c.Day, "W") {
					t.Fatalf("%q %d: change %+v", s, year, c)
				}
			}
		}
	})
}
