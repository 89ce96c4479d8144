package browsertest

import (
	"bytes"
	"context"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestBrowser(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!DOCTYPE html><title>t</title><p id="p">before</p>
<button id="b" onclick="document.getElementById('p').textContent = 'clicked'">b</button>
<form method="post" action="/posted"><input name="v" value="42"><button id="send">send</button></form>`)
	})
	mux.HandleFunc("POST /posted", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "<p>got "+r.FormValue("v")+"</p>")
	})
	mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<script>throw new Error("boom")</script><p>broken</p>`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	b := Need(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p, err := b.NewPage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Navigate(ctx, srv.URL+"/"); err != nil {
		t.Fatal(err)
	}
	var title string
	if err := p.Eval(ctx, "document.title", &title); err != nil || title != "t" {
		t.Fatalf("title %q, %v", title, err)
	}
	// A real click runs the page's handler.
	if err := p.Click(ctx, "#b"); err != nil {
		t.Fatal(err)
	}
	if err := p.WaitFor(ctx, `document.getElementById("p").textContent === "clicked"`); err != nil {
		t.Fatal(err)
	}
	if err := p.Click(ctx, "#nothing"); err == nil {
		t.Error("clicking nothing succeeded")
	}
	// A form posted by a click, the next page loaded.
	if err := p.ClickAndWait(ctx, "#send"); err != nil {
		t.Fatal(err)
	}
	if text, _ := p.Text(ctx); text != "got 42" {
		t.Errorf("after the form: %q", text)
	}
	png1, err := p.Screenshot(ctx, 400, 300, false)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(png1))
	if err != nil || img.Bounds().Dx() != 400 || img.Bounds().Dy() != 300 {
		t.Fatalf("screenshot: %v %v", err, img.Bounds())
	}
	if len(p.Errors()) != 0 {
		t.Errorf("errors in a clean page: %q", p.Errors())
	}
	// Errors of the page are collected.
	if err := p.Navigate(ctx, srv.URL+"/broken"); err != nil {
		t.Fatal(err)
	}
	if errs := p.Errors(); len(errs) == 0 || !strings.Contains(strings.Join(errs, " "), "boom") {
		t.Errorf("errors %q", errs)
	}
	if err := p.Close(ctx); err != nil {
		t.Error(err)
	}
}
