package inventory

import (
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"
)

// Under a boot storm every device is dirty at every flush, and flushing
// with encoding/json (reflection, a Device view with its history
// allocated) cost 14% of the CPU of a wrk run. appendRecordJSON writes the
// same JSON document json.Marshal writes for the record's Device — the
// state store and inventory.json read it with encoding/json — straight
// from the packed record.

// appendRecordJSON appends r's Device as JSON to dst.
func appendRecordJSON(dst []byte, r *record, w *words) []byte {
	d := &r.Device
	dst = append(dst, `{"mac":`...)
	dst = appendJSONString(dst, d.MAC)
	for _, f := range [...]struct{ key, v string }{
		{`,"vendor":`, d.Vendor}, {`,"family":`, d.Family}, {`,"model":`, d.Model},
		{`,"firmware":`, d.Firmware}, {`,"user_agent":`, d.UserAgent}, {`,"last_ip":`, d.LastIP},
	} {
		if f.v != "" {
			dst = append(dst, f.key...)
			dst = appendJSONString(dst, f.v)
		}
	}
	dst = append(dst, `,"first_seen":`...)
	dst = appendJSONTime(dst, d.FirstSeen)
	dst = append(dst, `,"last_seen":`...)
	dst = appendJSONTime(dst, d.LastSeen)
	dst = append(dst, `,"requests":`...)
	dst = strconv.AppendUint(dst, d.Requests, 10)
	dst = append(dst, `,"files":`...)
	dst = append(dst, '[')
	for i, f := range r.history {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"at":`...)
		dst = appendJSONTime(dst, time.Unix(0, f.at))
		dst = append(dst, `,"proto":`...)
		dst = appendJSONString(dst, w.word(f.proto))
		dst = append(dst, `,"file":`...)
		dst = appendJSONString(dst, f.file)
		dst = append(dst, `,"status":`...)
		dst = appendJSONString(dst, w.word(f.status))
		dst = append(dst, `,"bytes":`...)
		dst = strconv.AppendInt(dst, f.bytes, 10)
		dst = append(dst, '}')
	}
	dst = append(dst, ']')
	dst = append(dst, `,"configured":`...)
	dst = strconv.AppendBool(dst, d.Configured)
	if d.DHCP != nil {
		// One per device, changed only by lease events: encoding/json.
		if b, err := json.Marshal(d.DHCP); err == nil {
			dst = append(dst, `,"dhcp":`...)
			dst = append(dst, b...)
		}
	}
	return append(dst, '}')
}

// appendJSONTime appends t as time.Time's MarshalJSON does.
func appendJSONTime(dst []byte, t time.Time) []byte {
	dst = append(dst, '"')
	dst = t.AppendFormat(dst, time.RFC3339Nano)
	return append(dst, '"')
}

// appendJSONString appends s as a JSON string the way encoding/json
// writes it: <, > and & escaped for HTML, control characters as \u00XX,
// invalid UTF-8 as U+FFFD, U+2028 and U+2029 escaped.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
