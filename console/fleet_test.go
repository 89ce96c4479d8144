package console

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/inventory"
)

// fakeInventory is an Inventory of a few devices.
type fakeInventory []inventory.Device

func (f fakeInventory) Devices() []inventory.Device { return append([]inventory.Device(nil), f...) }
func (f fakeInventory) Get(mac string) (inventory.Device, bool) {
	for _, d := range f {
		if d.MAC == mac {
			return d, true
		}
	}
	return inventory.Device{}, false
}

// FuzzFleetQuery: any query string parses, links back to itself, and
// gives a page no larger than a page, within the pages there are.
func FuzzFleetQuery(f *testing.F) {
	for _, q := range []string{"", "vendor=Yealink&page=2", "model=-&firmware=-", "q=80:5e:c0&show=unknown", "page=-3&show=bogus", "state=pending&q=%00", "page=99999999999999999999", "page=9223372036854775807"} {
		f.Add(q)
	}
	inv := fakeInventory{}
	for i, v := range []string{"Yealink", "Polycom", "", "Yealink"} {
		inv = append(inv, inventory.Device{MAC: "805ec0a1000" + string(rune('0'+i)), Vendor: v, Model: "T" + v, LastSeen: time.Unix(0, 0)})
	}
	c, err := New(Config{Snapshot: func() *phoneprov.Snapshot { return nil }, Inventory: inv, PageSize: 2})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q := parseFleetQuery(v)
		u, err := url.Parse(q.href())
		if err != nil {
			t.Fatalf("%q: href %q: %v", raw, q.href(), err)
		}
		if again := parseFleetQuery(u.Query()); again != q {
			t.Fatalf("%q: %+v links to %q, which is %+v", raw, q, q.href(), again)
		}
		p := c.fleet(q)
		if len(p.Rows) > 2 || p.Page < 1 || p.Page > p.Pages || p.Total > len(inv) {
			t.Fatalf("%q: page %d of %d, %d rows of %d", raw, p.Page, p.Pages, len(p.Rows), p.Total)
		}
		if !strings.HasPrefix(q.href(), "/") {
			t.Fatalf("href %q", q.href())
		}
	})
}
