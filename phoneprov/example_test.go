package phoneprov_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov"
)

// writeSite writes files (path under root → content), as an Asterisk
// config directory etc/ and data directory lib/.
func writeSite(root string, files map[string]string) error {
	for name, text := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Load reads Asterisk's files into a snapshot; Render gives a phone what
// res_phoneprov would: its template substituted against its first line,
// SERVER the address the phone reached, one PP_EACH_EXTENSION entry per
// line in LINE order, and PP_EACH_USER listing the other phones.
func ExampleLoad() {
	root, err := os.MkdirTemp("", "phoneprov-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(root)
	err = writeSite(root, map[string]string{
		"etc/phoneprov.conf": `[general]
default_profile = polycom
[polycom]
static_file => sip.ld,application/octet-stream
${MAC}.cfg => phone.cfg,text/xml
${MAC}-directory.xml => directory.xml
`,
		"etc/users.conf": `[6001]
username = 6001
fullname = Alice
secret = s3cret
macaddress = 0004f2000001
autoprov = yes
[6002]
username = 6002
fullname = Alice (desk 2)
macaddress = 0004f2000001
linenumber = 2
autoprov = yes
[6003]
username = 6003
fullname = Bob
macaddress = 0004f2000003
autoprov = yes
`,
		"lib/phoneprov/phone.cfg":     "<phone server=\"${SERVER}:${SERVER_PORT}\">${PP_EACH_EXTENSION(${MAC},line.cfg)}</phone>\n",
		"lib/phoneprov/line.cfg":      "<line ${LINE}=\"${USERNAME}\"/>",
		"lib/phoneprov/directory.xml": "${PP_EACH_USER(<item>%{DISPLAY_NAME}</item>,${MAC})}\n",
		"lib/phoneprov/sip.ld":        "firmware",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	snap, err := phoneprov.Load(phoneprov.Options{
		ConfigDir: filepath.Join(root, "etc"),
		DataDir:   filepath.Join(root, "lib"),
		LocalZone: time.UTC,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(snap)
	for _, uri := range []string{"0004f2000001.cfg", "0004f2000001-directory.xml"} {
		r := snap.Route(uri)
		body, err := snap.Render(r, "192.0.2.10")
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s (%s): %s", uri, r.File.MIME, body.Bytes())
	}
	fmt.Println("sip.ld static:", snap.Route("sip.ld").Static())
	// Output:
	// 1 profiles, 2 phones, 5 routes
	// 0004f2000001.cfg (text/xml): <phone server="192.0.2.10:5060"><line 1="6001"/><line 2="6002"/></phone>
	// 0004f2000001-directory.xml (text/plain): <item>Bob</item>
	// sip.ld static: true
}

// WriteRoutes prints the routes exactly as Asterisk's CLI command
// `phoneprov show routes` does, in its container order, with C printf's
// padded columns (a "|" marks here where each line ends).
func ExampleSnapshot_WriteRoutes() {
	root, err := os.MkdirTemp("", "phoneprov-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(root)
	err = writeSite(root, map[string]string{
		"etc/phoneprov.conf":  "[general]\ndefault_profile = p\n[p]\nstaticdir => fw/\nstatic_file => boot.ld\n${MAC}.cfg => t.cfg\n",
		"etc/users.conf":      "[6001]\nusername = 6001\nmacaddress = 0004f2000001\nautoprov = yes\n",
		"lib/phoneprov/t.cfg": "",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	snap, err := phoneprov.Load(phoneprov.Options{ConfigDir: filepath.Join(root, "etc"), DataDir: filepath.Join(root, "lib")})
	if err != nil {
		fmt.Println(err)
		return
	}
	var b strings.Builder
	snap.WriteRoutes(&b)
	for _, line := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
		fmt.Println(line + "|")
	}
	// Output:
	// Static routes|
	// |
	// Profile              Relative URI                              Physical location             |
	// p                    boot.ld                                   fw/boot.ld                    |
	// |
	// Dynamic routes|
	// |
	// Provider             Profile              Relative URI                              Template                      |
	// sipusers             p                    0004f2000001.cfg                          t.cfg                         |
}
