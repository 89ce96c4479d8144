package main

import (
	"fmt"
	"io"
	"log/slog"

	"github.com/phoneprovd/phoneprovd/phoneprov/daemon"
	"github.com/phoneprovd/phoneprovd/phoneprov/settings"
)

// logPart is the daemon's log: [general] log_level applies at once after
// an edit; log_format needs a restart.
type logPart struct {
	log    *slog.Logger
	level  *slog.LevelVar
	format string
}

// newLogPart returns the log writing to w.
func newLogPart(w io.Writer, format, level string) (*logPart, error) {
	p := &logPart{level: new(slog.LevelVar), format: format}
	if err := p.setLevel(level); err != nil {
		return nil, err
	}
	log, err := newLogger(w, format, p.level)
	if err != nil {
		return nil, err
	}
	p.log = log
	return p, nil
}

func (p *logPart) setLevel(level string) error {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return fmt.Errorf("log level %q: %w", level, err)
	}
	p.level.Set(lv)
	return nil
}

// Name implements daemon.Part.
func (p *logPart) Name() string { return "log" }

// Reconfigure applies [general] log_level.
func (p *logPart) Reconfigure(s *settings.Settings) ([]string, error) {
	var restart []string
	if s.General.LogFormat != p.format {
		restart = append(restart, daemon.NeedsRestart("[general] log_format", p.format))
	}
	return restart, p.setLevel(s.General.LogLevel)
}
