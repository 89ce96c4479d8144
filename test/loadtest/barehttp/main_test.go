package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"testing/fstest"
)

// TestServe checks that the bare server answers exactly the loaded files,
// by exact path, with the body and its length.
func TestServe(t *testing.T) {
	files, err := load(fstest.MapFS{
		"phoneprov/0004f2000000.cfg": {Data: []byte("<cfg/>\n")},
		"phoneprov/sip.ld":           {Data: []byte{0, 1, 2, 0xff}},
		"phoneprov/sub/dir/x":        {Data: []byte("x")},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		method, target string
		status         int
		body           string
	}{
		{"GET", "/phoneprov/0004f2000000.cfg", 200, "<cfg/>\n"},
		{"GET", "/phoneprov/sip.ld", 200, "\x00\x01\x02\xff"},
		{"GET", "/phoneprov/sub/dir/x", 200, "x"},
		{"HEAD", "/phoneprov/sip.ld", 200, ""},
		// Exact lookup: no case folding, no directory listing, no cleaning.
		{"GET", "/phoneprov/0004F2000000.cfg", 404, "404 page not found\n"},
		{"GET", "/phoneprov/", 404, "404 page not found\n"},
		{"GET", "/phoneprov/sub/../sip.ld", 404, "404 page not found\n"},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(tt.method, "http://x"+tt.target, nil)
		req.URL.Path = tt.target // keep ".." as a client that does not clean would send it
		files.ServeHTTP(rec, req)
		body, _ := io.ReadAll(rec.Result().Body)
		if rec.Code != tt.status || string(body) != tt.body {
			t.Errorf("%s %s: %d %q, want %d %q", tt.method, tt.target, rec.Code, body, tt.status, tt.body)
		}
		if tt.status == http.StatusOK {
			if got, want := rec.Header().Get("Content-Length"), len(files[tt.target].body); got != strconv.Itoa(want) {
				t.Errorf("%s %s: Content-Length %s, want %d", tt.method, tt.target, got, want)
			}
		}
	}
}
