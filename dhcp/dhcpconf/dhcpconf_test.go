package dhcpconf

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/families"
	"github.com/phoneprovd/phoneprovd/internal/testtool"
)

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// testOptions are the options every format is written with in the tests.
func testOptions(url string) Options {
	return Options{
		URL:          url,
		Families:     families.List(),
		Hook:         "/usr/local/bin/phoneprovd-dhcp-event",
		Command:      []string{"/usr/local/bin/phoneprovd", "dhcp", "event"},
		KeaRunScript: DefaultKeaRunScript(exists),
	}
}

// URLs every format is written for: an address, a name (no option 150 for
// Cisco 79xx), TFTP, a port-less HTTPS URL with a trailing slash.
var urls = []string{
	"http://192.0.2.10:8080/phoneprov",
	"http://prov.example.com:8080/phoneprov",
	"tftp://192.0.2.10",
	"https://prov.example.com/pp/phoneprov/",
}

func findGroup(t *testing.T, groups []group, tag string) group {
	t.Helper()
	for _, g := range groups {
		if g.tag == tag {
			return g
		}
	}
	t.Fatalf("no group %s", tag)
	return group{}
}

func TestPlan(t *testing.T) {
	groups, err := plan(testOptions("http://192.0.2.10:8080/phoneprov"))
	if err != nil {
		t.Fatal(err)
	}
	y := findGroup(t, groups, "phoneprovd-yealink")
	if len(y.ouis) != 12 || len(y.classes) != 1 || len(y.options) != 1 || y.options[0].code != 66 || y.options[0].text != "http://192.0.2.10:8080/phoneprov" {
		t.Errorf("yealink %+v", y)
	}
	d := findGroup(t, groups, "phoneprovd-digium")
	if d.options[0].text != "http://192.0.2.10:8080/phoneprov/Digium" || d.classes[0].Value != "digium_D" {
		t.Errorf("digium %+v", d)
	}
	p := findGroup(t, groups, "phoneprovd-polycom")
	if len(p.options) != 2 || p.options[0].code != 160 || p.options[1].code != 66 {
		t.Errorf("polycom %+v", p)
	}
	c := findGroup(t, groups, "phoneprovd-cisco-79xx")
	if len(c.ouis) != 0 || len(c.options) != 2 || c.options[0].code != 150 || !bytes.Equal(c.options[0].value(), []byte{192, 0, 2, 10}) || c.options[1].text != "192.0.2.10" {
		t.Errorf("cisco 79xx %+v", c)
	}
	a := findGroup(t, groups, "phoneprovd-aastra")
	want := append([]byte{2, byte(len("http://192.0.2.10:8080/phoneprov/Aastra"))}, "http://192.0.2.10:8080/phoneprov/Aastra"...)
	if a.options[0].code != 43 || !bytes.Equal(a.options[0].value(), want) {
		t.Errorf("aastra 43: %x", a.options[0].value())
	}
	// Cisco has no options for all its phones: no group matches its OUIs.
	for _, g := range groups {
		if g.tag == "phoneprovd-cisco" {
			t.Errorf("a Cisco group without options: %+v", g)
		}
	}

	// A host name: option 150 (an address) cannot be given, and says so.
	groups, _ = plan(testOptions("http://prov.example.com:8080/phoneprov"))
	c = findGroup(t, groups, "phoneprovd-cisco-79xx")
	if len(c.options) != 1 || c.options[0].code != 66 || c.options[0].text != "prov.example.com" || len(c.notes) != 1 || !strings.Contains(c.notes[0], "option 150") {
		t.Errorf("cisco 79xx by name %+v", c)
	}
	// A trailing slash is not doubled.
	groups, _ = plan(testOptions("https://prov.example.com/pp/phoneprov/"))
	if d := findGroup(t, groups, "phoneprovd-digium"); d.options[0].text != "https://prov.example.com/pp/phoneprov/Digium" {
		t.Errorf("digium %q", d.options[0].text)
	}
	if y := findGroup(t, groups, "phoneprovd-yealink"); y.options[0].text != "https://prov.example.com/pp/phoneprov/" {
		t.Errorf("yealink %q", y.options[0].text)
	}
}

func TestBadURLs(t *testing.T) {
	for _, bad := range []string{"", "192.0.2.10", "ftp://192.0.2.10/x", "http://", "http:///x", "http://h/x?y=1", "http://h/x#y",
		`http://h/"x`, "http://h/a b", "http://h/a,b", "http://h/a;b", "http://h/é"} {
		var b bytes.Buffer
		for name, write := range map[string]func(*bytes.Buffer, Options) error{
			"dnsmasq": func(b *bytes.Buffer, o Options) error { return Dnsmasq(b, o) },
			"kea":     func(b *bytes.Buffer, o Options) error { return Kea(b, o) },
			"isc":     func(b *bytes.Buffer, o Options) error { return ISC(b, o) },
		} {
			if err := write(&b, testOptions(bad)); err == nil {
				t.Errorf("%s accepted the URL %q", name, bad)
			}
		}
		if b.Len() != 0 {
			t.Errorf("%q: something was written", bad)
		}
	}
}

// TestOptionTooLong: a URL that makes an option longer than 255 bytes
// leaves that option out and says why.
func TestOptionTooLong(t *testing.T) {
	url := "http://192.0.2.10/" + strings.Repeat("p", 250)
	groups, err := plan(testOptions(url))
	if err != nil {
		t.Fatal(err)
	}
	y := findGroup(t, groups, "phoneprovd-yealink")
	if len(y.options) != 0 || len(y.notes) != 1 || !strings.Contains(y.notes[0], "more than an option holds") {
		t.Errorf("yealink %+v", y)
	}
	var b bytes.Buffer
	Dnsmasq(&b, testOptions(url))
	if !strings.Contains(b.String(), "# Yealink\n# option 66 is left out") || strings.Contains(b.String(), "phoneprovd-yealink,66") {
		t.Errorf("dnsmasq:\n%s", b.String())
	}
	for _, g := range groups {
		for _, o := range g.options {
			if len(o.value()) > 255 {
				t.Errorf("%s: option %d of %d bytes", g.tag, o.code, len(o.value()))
			}
		}
	}
}

// TestKeaClassTest: the comparisons Kea evaluates for each kind of match.
func TestKeaClassTest(t *testing.T) {
	for _, c := range []struct {
		vc   family.VendorClass
		want string
	}{
		{family.VendorClass{Match: family.Exact, Value: "yealink"}, "option[60].hex == 'yealink'"},
		{family.VendorClass{Match: family.Prefix, Value: "digium_D"}, "substring(option[60].hex,0,8) == 'digium_D'"},
		{family.VendorClass{Match: family.Suffix, Value: "-3PCC\x00"}, "substring(option[60].hex,-6,all) == 0x" + hex.EncodeToString([]byte("-3PCC\x00"))},
	} {
		if got := keaClassTest(c.vc); got != c.want {
			t.Errorf("%+v: %s", c.vc, got)
		}
	}
}

// writeAll writes each format for url into dir and returns the files.
func writeAll(t *testing.T, dir, url string) (dnsmasq, kea, isc string) {
	t.Helper()
	o := testOptions(url)
	for _, f := range []struct {
		path  *string
		name  string
		write func(*bytes.Buffer) error
	}{
		{&dnsmasq, "dnsmasq.conf", func(b *bytes.Buffer) error { return Dnsmasq(b, o) }},
		{&kea, "kea.json", func(b *bytes.Buffer) error { return Kea(b, o) }},
		{&isc, "isc.conf", func(b *bytes.Buffer) error { return ISC(b, o) }},
	} {
		var b bytes.Buffer
		if err := f.write(&b); err != nil {
			t.Fatal(err)
		}
		*f.path = filepath.Join(dir, f.name)
		if err := os.WriteFile(*f.path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return
}

// tool returns the path of a DHCP server, or stops the test.
func tool(t *testing.T, name, pkg string) string {
	t.Helper()
	for _, p := range []string{"/usr/sbin/" + name, "/usr/bin/" + name} {
		if exists(p) {
			return p
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	testtool.Missing(t, name+" (Debian package "+pkg+")")
	return ""
}

// check runs a server's syntax check and fails the test when it refuses.
func check(t *testing.T, what string, cmd *exec.Cmd) {
	t.Helper()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Errorf("%s refused the configuration: %v\n%s", what, err, out)
	}
}

// TestDnsmasqAccepts: dnsmasq --test accepts every configuration written,
// and refuses a broken one (the check is real).
func TestDnsmasqAccepts(t *testing.T) {
	bin := tool(t, "dnsmasq", "dnsmasq-base")
	for _, url := range urls {
		conf, _, _ := writeAll(t, t.TempDir(), url)
		check(t, "dnsmasq --test ("+url+")", exec.Command(bin, "--test", "-C", conf))
		b, _ := os.ReadFile(conf)
		for _, want := range []string{"dhcp-script=/usr/local/bin/phoneprovd-dhcp-event", "dhcp-mac=set:phoneprovd-yealink,00:15:65:*:*:*",
			`dhcp-vendorclass=set:phoneprovd-digium,"digium_D"`, `dhcp-option-force=tag:phoneprovd-polycom,160,"`} {
			if !strings.Contains(string(b), want) {
				t.Errorf("%s: no %q", url, want)
			}
		}
	}
	bad := filepath.Join(t.TempDir(), "bad.conf")
	os.WriteFile(bad, []byte("dhcp-option-force=tag:x,66\"unterminated\n"), 0o644)
	if err := exec.Command(bin, "--test", "-C", bad).Run(); err == nil {
		t.Error("dnsmasq --test accepted a broken file: the check proves nothing")
	}
}

// TestKeaAccepts: kea-dhcp4 -t accepts every configuration written (with
// its run_script hook library loaded), and refuses a broken one.
func TestKeaAccepts(t *testing.T) {
	bin := tool(t, "kea-dhcp4", "kea-dhcp4-server")
	if lib := DefaultKeaRunScript(exists); !exists(lib) {
		testtool.Missing(t, lib+" (Debian package kea-dhcp4-server)")
	}
	for _, url := range urls {
		_, conf, _ := writeAll(t, t.TempDir(), url)
		check(t, "kea-dhcp4 -t ("+url+")", exec.Command(bin, "-t", conf))
		var parsed map[string]any
		b, _ := os.ReadFile(conf)
		if err := json.Unmarshal(b, &parsed); err != nil {
			t.Errorf("%s: not JSON: %v", url, err)
		}
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"Dhcp4": {"client-classes": [{"name": "x", "test": "substring(option[60].hex,0,"}]}}`), 0o644)
	if err := exec.Command(bin, "-t", bad).Run(); err == nil {
		t.Error("kea-dhcp4 -t accepted a broken file: the check proves nothing")
	}
}

// TestDhcpdAccepts: dhcpd -t accepts every configuration written, included
// from a dhcpd.conf with a subnet, and refuses a broken one.
func TestDhcpdAccepts(t *testing.T) {
	bin := tool(t, "dhcpd", "isc-dhcp-server")
	run := func(include string) error {
		dir := t.TempDir()
		main := filepath.Join(dir, "dhcpd.conf")
		os.WriteFile(main, []byte("include \""+include+"\";\nsubnet 10.99.0.0 netmask 255.255.255.0 {\n    range 10.99.0.50 10.99.0.99;\n}\n"), 0o644)
		out, err := exec.Command(bin, "-t", "-q", "-cf", main, "-lf", filepath.Join(dir, "leases"), "-pf", filepath.Join(dir, "pid")).CombinedOutput()
		if err != nil {
			return &exec.ExitError{Stderr: out}
		}
		return nil
	}
	for _, url := range urls {
		_, _, conf := writeAll(t, t.TempDir(), url)
		if err := run(conf); err != nil {
			b, _ := os.ReadFile(conf)
			t.Errorf("dhcpd -t refused the configuration for %s: %s\n%s", url, err.(*exec.ExitError).Stderr, b)
		}
	}
	bad := filepath.Join(t.TempDir(), "bad.conf")
	os.WriteFile(bad, []byte("class \"x\" { match if substring(option vendor-class-identifier, 0, 3) = ; }\n"), 0o644)
	if run(bad) == nil {
		t.Error("dhcpd -t accepted a broken file: the check proves nothing")
	}
}
