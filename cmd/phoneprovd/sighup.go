package main

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/phoneprovd/phoneprovd/phoneprov/daemon"
	"github.com/phoneprovd/phoneprovd/phoneprov/reload"
)

// sighupPart reloads at once on SIGHUP, changed or not.
type sighupPart struct {
	m   *reload.Manager
	log *slog.Logger
}

// Name implements daemon.Part.
func (p *sighupPart) Name() string { return "sighup" }

// Start listens for SIGHUP until the part stops.
func (p *sighupPart) Start(_ context.Context, h *daemon.Host) error {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	h.Go(func(ctx context.Context) {
		defer signal.Stop(hup)
		for {
			select {
			case <-hup:
				p.log.Info("SIGHUP: reloading")
				p.m.Reload(ctx, "SIGHUP")
			case <-ctx.Done():
				return
			}
		}
	})
	return nil
}
