// Package settingstest builds settings for tests from the text of a
// phoneprovd.conf, as net/http/httptest builds requests.
package settingstest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
)

// Load writes text as phoneprovd.conf in a temporary directory and loads
// it, failing the test when it does not load.
func Load(t testing.TB, text string) *settings.Settings {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, settings.FileName), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := settings.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
