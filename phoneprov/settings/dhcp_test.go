package settings

import (
	"strings"
	"testing"
)

func TestDHCPSettings(t *testing.T) {
	s, err := load(t, "[dhcp]\ntoken = 0123456789abcdef-long\nurl = http://192.0.2.10:8080/phoneprov\n")
	if err != nil {
		t.Fatal(err)
	}
	if s.DHCP.Token != "0123456789abcdef-long" || s.DHCP.URL != "http://192.0.2.10:8080/phoneprov" {
		t.Errorf("dhcp %+v", s.DHCP)
	}
	if s, _ := load(t, ""); s.DHCP != (DHCP{}) {
		t.Errorf("defaults %+v", s.DHCP)
	}
	for _, bad := range []string{"token = short", "token = 0123456789abcdef with spaces", "url = 192.0.2.10", "url = ftp://h/x", "url = http:///x", "bogus = 1"} {
		_, err := load(t, "[dhcp]\n"+bad+"\n")
		if err == nil || !strings.Contains(err.Error(), "phoneprovd.conf:2:") {
			t.Errorf("%s: err = %v", bad, err)
		}
		if err != nil && strings.Contains(err.Error(), "0123456789abcdef") {
			t.Errorf("the error shows the token: %v", err)
		}
	}
}
