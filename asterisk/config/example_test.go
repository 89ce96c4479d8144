package config_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/phoneprovd/phoneprovd/asterisk/config"
)

// Load reads a file as Asterisk does: templates are hidden from Browse but
// copied into the sections that inherit them, before their own lines; "+="
// appends in place; "\;" is a literal semicolon. Of a key given twice,
// First is what Asterisk ≤ 22 reads, Last what Asterisk 23 reads.
func ExampleLoad() {
	dir, err := os.MkdirTemp("", "config-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	const users = `
[phone](!)          ; a template
autoprov = yes
secret = from-template
[6001](phone)
username = 6001
secret = own        ; inherited entries come first
allow = ulaw
allow += ,alaw
label = A\;B
`
	if err := os.WriteFile(filepath.Join(dir, "users.conf"), []byte(users), 0o644); err != nil {
		fmt.Println(err)
		return
	}
	cfg, err := config.Load("users.conf", config.Options{Dir: dir})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range cfg.Browse() {
		fmt.Printf("[%s] from %s:%d\n", s.Name, s.File, s.Line)
		for _, v := range s.Vars {
			fmt.Printf("  %s = %s\n", v.Name, v.Value)
		}
		first, _ := s.First("secret")
		last, _ := s.Last("secret")
		fmt.Println("  First(secret):", first, "Last(secret):", last)
	}
	// Output:
	// [6001] from users.conf:5
	//   autoprov = yes
	//   secret = from-template
	//   username = 6001
	//   secret = own
	//   allow = ulaw ,alaw
	//   label = A;B
	//   First(secret): from-template Last(secret): own
}

// A syntax error is an *Error naming the file and line.
func ExampleLoad_error() {
	dir, err := os.MkdirTemp("", "config-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "pjsip.conf"), []byte("[udp]\ntype = transport\n[7001\n"), 0o644)
	_, err = config.Load("pjsip.conf", config.Options{Dir: dir})
	fmt.Println(err)
	// Output:
	// pjsip.conf:3: missing ']' in section header
}
