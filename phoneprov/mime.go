package phoneprov

import "strings"

// mimeByExtension is the table main/http.c's ast_http_ftype2mtype would have
// applied. res_phoneprov never consults it (it looks at an empty string,
// docs/asterisk.md#mime-types); phoneprovd uses it only when
// mime_by_extension is enabled.
var mimeByExtension = map[string]string{
	"png":  "image/png",
	"xml":  "text/xml",
	"jpg":  "image/jpeg",
	"js":   "application/x-javascript",
	"wav":  "audio/x-wav",
	"mp3":  "audio/mpeg",
	"svg":  "image/svg+xml",
	"svgz": "image/svg+xml",
	"gif":  "image/gif",
	"html": "text/html",
	"htm":  "text/html",
	"css":  "text/css",
	"cnf":  "text/plain",
	"cfg":  "text/plain",
	"bin":  "application/octet-stream",
	"sbn":  "application/octet-stream",
	"ld":   "application/octet-stream",
}

// mimeForExtension returns the MIME type for name's extension (the text
// after the last '.'), compared case-insensitively as ast_http_ftype2mtype
// does, or "".
func mimeForExtension(name string) string {
	i := strings.LastIndexByte(name, '.')
	if i < 0 {
		return ""
	}
	return mimeByExtension[strings.ToLower(name[i+1:])]
}
