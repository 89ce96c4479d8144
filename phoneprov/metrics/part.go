package metrics

import (
	"github.com/phoneprovd/phoneprovd/phoneprov/admin"
	"github.com/phoneprovd/phoneprovd/phoneprov/reload"
)

// Part is the metrics as a part of the daemon: GET /metrics on the admin
// listener, and the reload metrics of each swap.
type Part struct{ m *Metrics }

// NewPart returns the part serving m.
func NewPart(m *Metrics) *Part { return &Part{m} }

// Name implements daemon.Part.
func (p *Part) Name() string { return "metrics" }

// AdminRoutes serves GET /metrics.
func (p *Part) AdminRoutes(a *admin.Server) { a.Handle("GET /metrics", p.m.Handler()) }

// Swapped counts the reload and sets the generation and phones served.
func (p *Part) Swapped(sw reload.Swap) {
	p.m.Swapped(sw.Generation, sw.Took+sw.RenderTook, len(sw.Snapshot.Phones()))
}
