package httpserver

import (
	"strconv"
	"testing"
)

func TestStatusLabel(t *testing.T) {
	for _, code := range []int{200, 304, 401, 403, 404, 429, 500, 501} {
		if got := StatusLabel(code); got != strconv.Itoa(code) {
			t.Errorf("StatusLabel(%d) = %q", code, got)
		}
	}
	if n := testing.AllocsPerRun(100, func() { StatusLabel(200) }); n != 0 {
		t.Errorf("StatusLabel(200) allocates %v times", n)
	}
}
