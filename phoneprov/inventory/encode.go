package inventory

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"time"

	"github.com/phoneprovd/phoneprovd/dhcp"
)

// Under a boot storm every device is dirty at every flush, and what a
// flush costs grows with the bytes written: a device with a full history
// took 2.3 KB as JSON (written with reflection, 14% of the CPU of a wrk
// run), its time stamps alone 35 bytes each. Records are therefore stored
// in a compact binary form — varints, times as Unix nanoseconds, a
// fetch's time as the distance from the previous one — written straight
// from the packed record. Records saved as JSON by earlier versions are
// still read (decodeRecord).

// recordFormat is the first byte of a binary record (JSON starts with
// '{').
const recordFormat = 0x01

// appendRecord appends r as a binary record to dst.
func appendRecord(dst []byte, r *record, w *words) []byte {
	d := &r.Device
	dst = append(dst, recordFormat)
	for _, s := range [...]string{d.MAC, d.Vendor, d.ProductLine, d.Model, d.Firmware, d.UserAgent, d.LastIP} {
		dst = appendString(dst, s)
	}
	dst = binary.AppendVarint(dst, unixNano(d.FirstSeen))
	dst = binary.AppendVarint(dst, unixNano(d.LastSeen))
	dst = binary.AppendUvarint(dst, d.Requests)
	flags := byte(0)
	if d.Configured {
		flags |= 1
	}
	var lease []byte
	if d.DHCP != nil {
		// One per device, changed only by lease events: encoding/json.
		if b, err := json.Marshal(d.DHCP); err == nil {
			flags |= 2
			lease = b
		}
	}
	dst = append(dst, flags)
	dst = binary.AppendUvarint(dst, uint64(len(r.history)))
	var prev int64
	r.fetches(func(_ int, f fetch) {
		dst = binary.AppendVarint(dst, f.at-prev)
		prev = f.at
		dst = binary.AppendVarint(dst, f.bytes)
		dst = appendString(dst, f.file)
		dst = appendString(dst, w.word(f.proto))
		dst = appendString(dst, w.word(f.status))
	})
	if lease != nil {
		dst = appendString(dst, string(lease))
	}
	return dst
}

func appendString(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

// unixNano is t in Unix nanoseconds, 0 for the zero time.
func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromUnixNano(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

var errRecord = errors.New("malformed record")

// recordReader reads a binary record.
type recordReader struct {
	b   []byte
	err error
}

func (r *recordReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *recordReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *recordReader) string() string {
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.b)) {
		r.fail()
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *recordReader) byte() byte {
	if len(r.b) == 0 {
		r.fail()
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *recordReader) fail() {
	if r.err == nil {
		r.err = errRecord
	}
	r.b = nil
}

// decodeBinaryRecord reads a record appendRecord wrote.
func decodeBinaryRecord(value []byte) (Device, error) {
	if len(value) == 0 || value[0] != recordFormat {
		return Device{}, errRecord
	}
	r := &recordReader{b: value[1:]}
	var d Device
	for _, p := range [...]*string{&d.MAC, &d.Vendor, &d.ProductLine, &d.Model, &d.Firmware, &d.UserAgent, &d.LastIP} {
		*p = r.string()
	}
	d.FirstSeen = fromUnixNano(r.varint())
	d.LastSeen = fromUnixNano(r.varint())
	d.Requests = r.uvarint()
	flags := r.byte()
	d.Configured = flags&1 != 0
	n := r.uvarint()
	if n > HistoryLen || r.err != nil {
		return Device{}, errRecord
	}
	d.Files = make([]Fetch, n)
	var at int64
	for i := range d.Files {
		at += r.varint()
		d.Files[i] = Fetch{At: fromUnixNano(at), Bytes: r.varint(), File: r.string(), Proto: r.string(), Status: r.string()}
	}
	if flags&2 != 0 {
		var l dhcp.Lease
		if err := json.Unmarshal([]byte(r.string()), &l); err != nil {
			return Device{}, errRecord
		}
		d.DHCP = &l
	}
	if r.err != nil || len(r.b) != 0 {
		return Device{}, errRecord
	}
	return d, nil
}
