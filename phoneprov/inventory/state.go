package inventory

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/phoneprovd/phoneprovd/family"
)

// stateVersion is the format of the state file.
const stateVersion = 1

type stateFile struct {
	Version int       `json:"version"`
	Saved   time.Time `json:"saved"`
	Devices []Device  `json:"devices"`
}

// Load reads the state file. A missing file is an empty inventory; a
// corrupt one is set aside (renamed to *.corrupt-<time>) with a warning
// and the inventory starts empty: it is never fatal.
func (inv *Inventory) Load() error {
	if inv.cfg.StateFile == "" {
		return nil
	}
	b, err := os.ReadFile(inv.cfg.StateFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("inventory: %w", err)
	}
	var st stateFile
	err = json.Unmarshal(b, &st)
	if err == nil && st.Version != stateVersion {
		err = fmt.Errorf("unknown format version %d", st.Version)
	}
	if err != nil {
		aside := fmt.Sprintf("%s.corrupt-%s", inv.cfg.StateFile, inv.cfg.Now().UTC().Format("20060102T150405Z"))
		if rerr := os.Rename(inv.cfg.StateFile, aside); rerr != nil {
			inv.log.Warn("the inventory state file is unreadable and cannot be set aside; starting empty", "file", inv.cfg.StateFile, "error", err, "rename_error", rerr)
		} else {
			inv.log.Warn("the inventory state file is unreadable; it was set aside and the inventory starts empty", "file", inv.cfg.StateFile, "moved_to", aside, "error", err)
		}
		return nil
	}
	inv.mu.Lock()
	defer inv.mu.Unlock()
	for _, d := range st.Devices {
		mac, ok := family.NormalizeMAC(d.MAC)
		if !ok {
			continue
		}
		d.MAC = mac
		inv.devices[mac] = newRecord(d, &inv.words)
	}
	return nil
}

// Save writes the state file atomically (a temporary file renamed over
// it). Devices are encoded one at a time under the lock, so saving neither
// copies the inventory nor holds up requests for long.
func (inv *Inventory) Save() error {
	if inv.cfg.StateFile == "" {
		return nil
	}
	dir := filepath.Dir(inv.cfg.StateFile)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("inventory: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".inventory-*.json")
	if err != nil {
		return fmt.Errorf("inventory: %w", err)
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriter(tmp)
	fmt.Fprintf(w, `{"version":%d,"saved":%q,"devices":[`, stateVersion, inv.cfg.Now().UTC().Format(time.RFC3339Nano))
	inv.mu.Lock()
	macs := make([]string, 0, len(inv.devices))
	for mac := range inv.devices {
		macs = append(macs, mac)
	}
	inv.dirty = false
	inv.mu.Unlock()
	first := true
	for _, mac := range macs {
		inv.mu.Lock()
		d := inv.devices[mac]
		var b []byte
		if d != nil {
			b, err = json.Marshal(d.device(&inv.words))
		}
		inv.mu.Unlock()
		if d == nil || err != nil {
			continue
		}
		if !first {
			w.WriteByte(',')
		}
		first = false
		w.Write(b)
	}
	w.WriteString("]}\n")
	if err := w.Flush(); err != nil {
		tmp.Close()
		return fmt.Errorf("inventory: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("inventory: %w", err)
	}
	if err := os.Rename(tmp.Name(), inv.cfg.StateFile); err != nil {
		return fmt.Errorf("inventory: %w", err)
	}
	return nil
}

// Run saves the state every interval when something changed, and once more
// when ctx is done.
func (inv *Inventory) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			if err := inv.Save(); err != nil {
				inv.log.Warn("cannot save the inventory", "error", err)
			}
			return
		case <-t.C:
			inv.mu.Lock()
			dirty := inv.dirty
			inv.mu.Unlock()
			if dirty {
				if err := inv.Save(); err != nil {
					inv.log.Warn("cannot save the inventory", "error", err)
				}
			}
		}
	}
}
