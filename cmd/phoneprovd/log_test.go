package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
)

// TestLogPart: [general] log_level applies to the next line; another
// log_format needs a restart.
func TestLogPart(t *testing.T) {
	var out bytes.Buffer
	p, err := newLogPart(&out, "text", "info")
	if err != nil {
		t.Fatal(err)
	}
	p.log.Debug("hidden")
	s := settings.Defaults()
	s.General.LogLevel = "debug"
	if restart, err := p.Reconfigure(s); err != nil || len(restart) != 0 {
		t.Fatalf("log_level: %q %v", restart, err)
	}
	p.log.Debug("shown")
	if strings.Contains(out.String(), "hidden") || !strings.Contains(out.String(), "msg=shown") {
		t.Errorf("log:\n%s", out.String())
	}
	s.General.LogFormat = "json"
	if restart, _ := p.Reconfigure(s); len(restart) != 1 || restart[0] != "[general] log_format changed (in force until a restart: text)" {
		t.Errorf("log_format: %q", restart)
	}
	if _, err := newLogPart(&out, "xml", "info"); err == nil {
		t.Error("log format xml accepted")
	}
	if _, err := newLogPart(&out, "text", "loud"); err == nil {
		t.Error("log level loud accepted")
	}
}
