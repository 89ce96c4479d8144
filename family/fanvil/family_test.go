package fanvil

import (
	"testing"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/familytest"
)

// TestUserAgents: every User-Agent of the corpus is identified as it says,
// by this family alone.
func TestUserAgents(t *testing.T) {
	familytest.CheckUserAgents(t, Family(), []family.Family{Family()}, "testdata/useragents.tsv")
}
