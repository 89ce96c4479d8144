package settings

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// TFTP is the [tftp] section. Its presence (or -tftp) enables TFTP.
type TFTP struct {
	Enabled bool
	// Listen are the addresses to serve on, e.g. "0.0.0.0:69", "[::]:69".
	Listen       []string
	UploadDir    string // "" refuses writes
	MaxUpload    int64  // bytes per uploaded file
	MaxTransfers int
	Timeout      time.Duration
	Retries      int
	BlockSize    int
}

func (t *TFTP) defaults() {
	t.Listen = []string{":69"}
	t.MaxUpload = 16 << 20
	t.MaxTransfers = 200
	t.Timeout = 5 * time.Second
	t.Retries = 5
	t.BlockSize = 1468
}

func (t *TFTP) parser() parser {
	return parser{
		"listen": func(v string) error {
			var addrs []string
			var errs []error
			for _, a := range strings.Split(v, ",") {
				if a = strings.TrimSpace(a); a == "" {
					continue
				}
				if err := CheckListenAddress(a); err != nil {
					errs = append(errs, err)
				}
				addrs = append(addrs, a)
			}
			if len(addrs) == 0 {
				return errors.New("no address")
			}
			if len(errs) > 0 {
				msgs := make([]string, len(errs))
				for i, err := range errs {
					msgs[i] = err.Error()
				}
				return errors.New(strings.Join(msgs, "; "))
			}
			t.Listen = addrs
			return nil
		},
		"upload_dir":    str(&t.UploadDir),
		"max_upload":    size(&t.MaxUpload),
		"max_transfers": count(&t.MaxTransfers, 1, 100000),
		"timeout":       duration(&t.Timeout),
		"retries":       count(&t.Retries, 0, 100),
		"blksize":       count(&t.BlockSize, 8, 65464),
	}
}

func (t *TFTP) validate() error { return nil }

// size parses a byte count with an optional K, M or G suffix (powers of
// 1024).
func size(p *int64) func(string) error {
	return func(v string) error {
		mult := int64(1)
		s := strings.ToUpper(strings.TrimSpace(v))
		switch {
		case strings.HasSuffix(s, "K"):
			mult, s = 1<<10, s[:len(s)-1]
		case strings.HasSuffix(s, "M"):
			mult, s = 1<<20, s[:len(s)-1]
		case strings.HasSuffix(s, "G"):
			mult, s = 1<<30, s[:len(s)-1]
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			return fmt.Errorf("%q is not a size (e.g. 512K, 16M)", v)
		}
		*p = n * mult
		return nil
	}
}

func count(p *int, min, max int) func(string) error {
	return func(v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < min || n > max {
			return fmt.Errorf("%q is not a number from %d to %d", v, min, max)
		}
		*p = n
		return nil
	}
}
