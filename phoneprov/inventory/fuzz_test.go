package inventory

import (
	"encoding/json"
	"testing"
)

// FuzzDecodeRecord: whatever a damaged state file holds, a saved record
// either decodes to a device with a valid MAC whose history fits, or is
// refused; it never panics.
func FuzzDecodeRecord(f *testing.F) {
	good, _ := json.Marshal(Device{MAC: "0004F2A1B2C3", Vendor: "Polycom", Files: []Fetch{{Proto: "http", File: "x.cfg", Status: "200"}}})
	f.Add(good)
	f.Add([]byte(`{"mac":"00:15:65:aa:bb:cc","files":null}`))
	f.Add([]byte(`{"mac":"zz"}`))
	f.Add([]byte(`{"mac":"000fd3aabb01","vendor":"Digium","model":"D40","requests":0,"dhcp":{"ip":"10.0.0.5","vendor_class":"digium_D40_1_1_0_0_48178","identity":{"vendor":"Digium","model":"D40"},"source":"dnsmasq","action":"add","active":true}}`))
	f.Add([]byte(`{`))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, ok := decodeRecord(b)
		if !ok {
			return
		}
		if len(d.MAC) != 12 {
			t.Fatalf("MAC %q", d.MAC)
		}
		var w words
		r := newRecord(d, &w)
		if len(r.history) > HistoryLen {
			t.Fatalf("history of %d", len(r.history))
		}
		_ = r.device(&w)
	})
}
