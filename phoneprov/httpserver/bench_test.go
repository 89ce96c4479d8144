package httpserver_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/phoneprovd/phoneprovd/phoneprov/httpserver"
	"github.com/phoneprovd/phoneprovd/phoneprov/phoneprovtest"
)

// BenchmarkDynamicGET measures GET of a dynamic route (the golden
// polycom.xml, 5.3 KB, rendered once and then served from the render cache)
// through the real HTTP stack over loopback, with keep-alive clients.
func BenchmarkDynamicGET(b *testing.B) {
	benchGET(b, "/phoneprov/config/0004f2a1b2c3")
}

// BenchmarkDirectoryGET measures a route whose template uses PP_EACH_USER.
func BenchmarkDirectoryGET(b *testing.B) {
	benchGET(b, "/phoneprov/0004f2a1b2c3-directory.xml")
}

func benchGET(b *testing.B, path string) {
	snap := loadGolden(b)
	srv := httptest.NewServer(httpserver.NewHandler(phoneprovtest.Fixed(snap), httpserver.Config{ServerName: "phoneprovd"}))
	defer srv.Close()
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	client := &http.Client{Transport: tr}
	url := srv.URL + path
	b.ReportAllocs()
	b.SetParallelism(16) // 32 concurrent clients on 2 cores, like a boot storm
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Get(url)
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}
