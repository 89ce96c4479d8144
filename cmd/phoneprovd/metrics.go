package main

import (
	"net/http"
	"strconv"

	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/metrics"
)

// startMetrics serves Prometheus metrics on the admin listener and
// registers the values read from the other parts at scrape time.
func (d *daemon) startMetrics() *metrics.Metrics {
	m := metrics.New()
	d.admin.Handle("GET /metrics", m.Handler())
	if d.liveStatus != nil {
		m.LabeledFunc("asterisk_connected", "1 when the AMI or ARI connection to Asterisk is up.", "source", false, func() map[string]float64 {
			out := map[string]float64{}
			for _, s := range d.liveStatus().Sources {
				out[s.Name] = b2f(s.Connected)
			}
			return out
		})
	}
	return m
}

// registerLater adds the metrics of parts started after startMetrics.
func (d *daemon) registerLater(m *metrics.Metrics) {
	if d.resyncStatus != nil {
		m.LabeledFunc("resync_phones", "Phones by re-sync state.", "state", false, func() map[string]float64 {
			out := map[string]float64{}
			for k, v := range d.resyncStatus().Phones {
				out[k] = float64(v)
			}
			return out
		})
		m.LabeledFunc("notifies_total", "Re-sync NOTIFYs by result: sent, failed (refused by Asterisk), confirmed (the phone fetched), timed_out.", "result", true, func() map[string]float64 {
			st := d.resyncStatus()
			out := map[string]float64{"sent": 0, "failed": 0, "confirmed": 0, "timed_out": 0}
			for k, v := range st.Totals {
				out[k] = float64(v)
			}
			return out
		})
	}
	if d.state != nil {
		m.GaugeFunc("state_writable", "1 while the state database (inventory, re-sync queue, last good configuration) is being saved; 0 after a failed write, until one succeeds.", func() float64 {
			return b2f(d.state.Health().Writable)
		})
	}
	if d.guard != nil {
		m.GaugeFunc("bans_active", "Sources banned for scanning MACs or failing authentication.", func() float64 {
			return float64(len(d.guard.Status().Bans))
		})
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// routeKind labels a request by what it reached.
func routeKind(r *phoneprov.Route) string {
	switch {
	case r == nil:
		return "none"
	case r.Static():
		return "static"
	}
	return "dynamic"
}

// httpStatus formats a status code (for a metric label or the inventory)
// without allocating for the common ones.
func httpStatus(code int) string {
	switch code {
	case http.StatusOK:
		return "200"
	case http.StatusNotFound:
		return "404"
	case http.StatusUnauthorized:
		return "401"
	case http.StatusForbidden:
		return "403"
	case http.StatusTooManyRequests:
		return "429"
	case http.StatusInternalServerError:
		return "500"
	}
	return strconv.Itoa(code)
}
