package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/phoneprovd/phoneprovd/phoneprov/tftpserver"
)

// startTFTP serves every route over TFTP on each [tftp] listen address.
func (d *daemon) startTFTP() error {
	t := d.settings.TFTP
	if !t.Enabled {
		return nil
	}
	if t.UploadDir != "" {
		up, _ := filepath.Abs(t.UploadDir)
		data, _ := filepath.Abs(filepath.Join(d.dirs.dataDir, "phoneprov"))
		if up == data || strings.HasPrefix(up, data+string(filepath.Separator)) {
			return fmt.Errorf("[tftp] upload_dir %s is inside %s: phones could overwrite templates", t.UploadDir, data)
		}
	}
	srv := tftpserver.New(d.manager, tftpserver.Config{
		Timeout:      t.Timeout,
		Retries:      t.Retries,
		MaxTransfers: t.MaxTransfers,
		BlockSize:    t.BlockSize,
		UploadDir:    t.UploadDir,
		MaxUpload:    t.MaxUpload,
		Check:        d.guard.CheckTFTP,
		Sensitive:    d.guard.Sensitive,
		OnServe: func(s tftpserver.Served) {
			d.metrics.Request("tftp", routeKind(s.Route), s.Outcome.String(), s.Duration)
			d.observeTFTP(s)
			if s.Outcome == tftpserver.Completed && s.Body != nil && s.Route != nil && s.Route.Phone != nil {
				d.fetched(s.Route.Phone.MAC, s.Body.Generation)
			}
			d.reidentify(s.Route, s.URI)
		},
		Logger: d.log.With("component", "tftp"),
	})
	for _, addr := range t.Listen {
		go func(addr string) {
			if err := srv.ListenAndServe(addr); err != nil && !errors.Is(err, tftpserver.ErrServerClosed) {
				d.errc <- fmt.Errorf("tftp %s: %w", addr, err)
			}
		}(addr)
		d.log.Info("serving TFTP", "addr", addr)
	}
	d.shutdowns = append(d.shutdowns, srv.Shutdown)
	return nil
}
