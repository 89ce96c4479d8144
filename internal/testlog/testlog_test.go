package testlog

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"
)

func TestBufferConcurrent(t *testing.T) {
	var b Buffer
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				b.Write([]byte("0123456789"))
				_ = b.String()
			}
		}()
	}
	wg.Wait()
	if b.Len() != 8000 || strings.Count(b.String(), "0123456789") != 800 {
		t.Errorf("kept %d bytes", b.Len())
	}
}

func TestBufferLimit(t *testing.T) {
	b := Buffer{Limit: 5}
	for _, s := range []string{"abc", "defg", "h"} {
		if n, err := b.Write([]byte(s)); n != len(s) || err != nil {
			t.Errorf("Write(%q) = %d, %v", s, n, err)
		}
	}
	if b.String() != "abcde" {
		t.Errorf("kept %q, want the first 5 bytes", b.String())
	}
}

func TestLogger(t *testing.T) {
	var b Buffer
	b.Logger().Debug("hello", "n", 1)
	var line map[string]any
	if err := json.Unmarshal([]byte(b.String()), &line); err != nil || line["msg"] != "hello" || line["level"] != "DEBUG" {
		t.Errorf("logged %q (%v)", b.String(), err)
	}
}

// recorder is a testing.TB that records errors.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, format)
}

func TestNoSecrets(t *testing.T) {
	var b Buffer
	b.Logger().Info("login", "user", "6001")
	r := &recorder{TB: t}
	b.NoSecrets(r, "s3cret", "")
	if len(r.errors) != 0 {
		t.Errorf("clean logs reported: %v", r.errors)
	}
	b.Logger().Info("oops", "password", "s3cret")
	b.NoSecrets(r, "s3cret", "other")
	if len(r.errors) != 1 {
		t.Errorf("a logged secret reported %d times", len(r.errors))
	}
}
