package security_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/phoneprovd/phoneprovd/phoneprov/httpserver"
	"github.com/phoneprovd/phoneprovd/phoneprov/phoneprovtest"
	"github.com/phoneprovd/phoneprovd/phoneprov/security"
)

// FuzzRequestTarget sends arbitrary request targets through the handler
// with a guard (digest on) and checks that nothing outside the data
// directory is ever served, that a secret is never served without
// credentials, and that whatever is served is one of the site's files.
func FuzzRequestTarget(f *testing.F) {
	for _, s := range []string{
		"/phoneprov/../outside.txt", "/phoneprov/%2e%2e/outside.txt", "/phoneprov/link.bin",
		"/phoneprov/dir", "/phoneprov/" + mac6001 + ".cfg", "/phoneprov/fw.bin",
		"/phoneprov/%2e%2e%2f%2e%2e%2foutside-root.txt", "/PHONEPROV/" + mac7001 + "-directory.xml?x",
		"/phoneprov/SEP0004F2A1B2C3.cnf.xml", "/phoneprov/%00", "/phoneprov/+%zz%",
	} {
		f.Add(s)
	}
	s := newSite(f)
	sink := newLogSink(f)
	src := phoneprovtest.Fixed(s.load(sink.logger()))
	g, err := security.New(security.Config{
		Auth: security.AuthDigest, User: globalUser, Password: globalPass,
		ScanThreshold: 5, CountLoopback: true, Snapshots: src, Logger: sink.logger(),
	})
	if err != nil {
		f.Fatal(err)
	}
	h := httpserver.NewHandler(src, httpserver.Config{ServerName: "phoneprovd", Guard: g, Logger: sink.logger()})
	served := []string{"\x00firmware\xff", "<directory owner=\"6001\"/>\n", "<directory owner=\"7001\"/>\n"}
	f.Fuzz(func(t *testing.T, target string) {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.RequestURI = target
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		body := rec.Body.String()
		for _, sec := range allSecrets {
			if strings.Contains(body, sec) {
				t.Fatalf("%q served a secret: %q", target, body)
			}
		}
		switch rec.Code {
		case http.StatusOK:
			found := false
			for _, b := range served {
				found = found || body == b
			}
			if !found {
				t.Fatalf("%q served %q", target, body)
			}
		case http.StatusNotFound, http.StatusForbidden, http.StatusUnauthorized, http.StatusInternalServerError:
		default:
			t.Fatalf("%q: status %d", target, rec.Code)
		}
	})
}
