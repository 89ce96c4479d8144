// Command barehttp serves every file under a directory from memory with
// nothing but net/http: an exact lookup of the request path in a map and a
// write of the body. The boot-storm benchmark (test/loadtest) runs it
// beside phoneprovd and nginx as the most a Go HTTP server can do, so that
// phoneprovd's own cost per request shows.
//
//	barehttp -addr 127.0.0.1:8080 -root DIR
//
// GET /a/b answers the bytes of DIR/a/b, read once at start, with the
// headers phoneprovd sends on a 200 (Server, Cache-Control, Content-type,
// Content-Length); any other path is 404.
package main

import (
	"flag"
	"fmt"
	"io/fs"
	"log"
	"net/http"
	"os"
	"path"
	"strconv"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	root := flag.String("root", "", "directory whose files are served")
	flag.Parse()
	if *root == "" || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	files, err := load(os.DirFS(*root))
	if err != nil {
		log.Fatal(err)
	}
	// The timeouts phoneprovd's phone-facing server has
	// (phoneprov/httpserver.NewServer), so that only the handlers differ.
	srv := &http.Server{
		Addr:              *addr,
		Handler:           files,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      10 * time.Minute,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}
	log.Fatal(srv.ListenAndServe())
}

// file is one body served, with its Content-Length ready.
type file struct {
	body   []byte
	length []string
}

// bodies serves files by exact path.
type bodies map[string]file

// load reads every regular file of fsys into memory, keyed by its path
// with a leading slash.
func load(fsys fs.FS) (bodies, error) {
	b := make(bodies)
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		b[path.Join("/", name)] = file{body: body, length: []string{strconv.Itoa(len(body))}}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("loading the files to serve: %w", err)
	}
	return b, nil
}

// Header values shared by every response.
var (
	serverName   = []string{"phoneprovd"}
	cacheControl = []string{"no-cache, no-store"}
	contentType  = []string{"text/plain"}
)

// ServeHTTP answers the file at the request's path.
func (b bodies) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f, ok := b[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h["Server"] = serverName
	h["Cache-Control"] = cacheControl
	h["Content-Type"] = contentType
	h["Content-Length"] = f.length
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(f.body)
	}
}
