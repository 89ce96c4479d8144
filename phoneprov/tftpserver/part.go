package tftpserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"path/filepath"
	"slices"
	"strings"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/daemon"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
)

// PartConfig configures the TFTP part.
type PartConfig struct {
	// Settings are those in force at start: [tftp] (enabled by the
	// section or by -tftp).
	Settings *settings.Settings
	// DataDir is Asterisk's data directory: phones may not upload into
	// DATA-DIR/phoneprov, where the templates are.
	DataDir string
	// Snapshots is the snapshot source (the reload manager).
	Snapshots phoneprov.SnapshotSource
	// Check and Sensitive are the guard's (Config).
	Check     func(remote netip.Addr, filename string, routeFound, sensitive bool) error
	Sensitive func(route *phoneprov.Route, body *phoneprov.Rendered) bool
	// OnServe hears about every request (metrics, the inventory); the
	// part itself tells the daemon of each dynamic file fetched.
	OnServe func(Served)
	Logger  *slog.Logger
}

// Part serves every route over TFTP on each [tftp] listen address, when
// TFTP is on. Its limits follow [tftp] while it serves; its addresses, and
// turning it on or off, need a restart.
type Part struct {
	cfg    PartConfig
	listen []string // at start; nil when TFTP is off
	srv    *Server
	host   *daemon.Host
}

// NewPart returns the TFTP part.
func NewPart(cfg PartConfig) *Part {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	p := &Part{cfg: cfg}
	if t := cfg.Settings.TFTP; t.Enabled {
		p.listen = slices.Clone(t.Listen)
	}
	return p
}

// configOf is the server configuration of [tftp].
func configOf(t settings.TFTP) Config {
	return Config{Timeout: t.Timeout, Retries: t.Retries, MaxTransfers: t.MaxTransfers, BlockSize: t.BlockSize,
		UploadDir: t.UploadDir, MaxUpload: t.MaxUpload}
}

// Name implements daemon.Part.
func (p *Part) Name() string { return "tftp" }

// Start listens on every address and serves until the part stops; a
// socket that fails stops the daemon.
func (p *Part) Start(_ context.Context, h *daemon.Host) error {
	if p.listen == nil {
		return nil
	}
	s := p.cfg.Settings
	if err := p.CheckSettings(s); err != nil {
		return err
	}
	p.host = h
	cfg := configOf(s.TFTP)
	cfg.Check, cfg.Sensitive, cfg.OnServe, cfg.Logger = p.cfg.Check, p.cfg.Sensitive, p.served, p.cfg.Logger
	p.srv = New(p.cfg.Snapshots, cfg)
	for _, addr := range p.listen {
		h.Go(func(context.Context) {
			if err := p.srv.ListenAndServe(addr); err != nil && !errors.Is(err, ErrServerClosed) {
				h.Fail(fmt.Errorf("%s: %w", addr, err))
			}
		})
		p.cfg.Logger.Info("serving TFTP", "addr", addr)
	}
	return nil
}

// served tells OnServe, and the daemon of a phone's dynamic file fetched.
func (p *Part) served(s Served) {
	if p.cfg.OnServe != nil {
		p.cfg.OnServe(s)
	}
	if s.Outcome == Completed && s.Body != nil && s.Route != nil && s.Route.Phone != nil {
		p.host.Fetched(s.Route.Phone.MAC, s.Body.Generation)
	}
}

// Stop lets transfers in progress complete within ctx.
func (p *Part) Stop(ctx context.Context) error {
	if p.srv == nil {
		return nil
	}
	return p.srv.Shutdown(ctx)
}

// CheckSettings refuses an upload_dir inside DATA-DIR/phoneprov: phones
// could overwrite templates.
func (p *Part) CheckSettings(s *settings.Settings) error {
	t := s.TFTP
	if t.UploadDir == "" {
		return nil
	}
	up, _ := filepath.Abs(t.UploadDir)
	data, _ := filepath.Abs(filepath.Join(p.cfg.DataDir, "phoneprov"))
	if up == data || strings.HasPrefix(up, data+string(filepath.Separator)) {
		return fmt.Errorf("%s: [tftp] upload_dir %s is inside %s: phones could overwrite templates", s.Where("tftp", "upload_dir"), t.UploadDir, data)
	}
	if p.listen != nil && t.Enabled {
		if err := newUploads(t.UploadDir, t.MaxUpload, 0).check(); err != nil {
			return fmt.Errorf("%s: [tftp] %w", s.Where("tftp", "upload_dir"), err)
		}
	}
	return nil
}

// Reconfigure applies [tftp]'s limits and upload directory; another
// listen address, or TFTP turned on or off, needs a restart.
func (p *Part) Reconfigure(s *settings.Settings) ([]string, error) {
	t := s.TFTP
	switch {
	case p.listen == nil && t.Enabled:
		return []string{daemon.NeedsRestart("[tftp]", "TFTP off")}, nil
	case p.listen == nil:
		return nil, nil
	case !t.Enabled:
		return []string{daemon.NeedsRestart("[tftp]", "TFTP on "+strings.Join(p.listen, ", "))}, nil
	}
	var restart []string
	if !slices.Equal(t.Listen, p.listen) {
		restart = append(restart, daemon.NeedsRestart("[tftp] listen", strings.Join(p.listen, ", ")))
	}
	if p.srv != nil {
		if err := p.srv.Reconfigure(configOf(t)); err != nil {
			return restart, fmt.Errorf("%s: [tftp]: %w", s.Where("tftp", "upload_dir"), err)
		}
	}
	return restart, nil
}
