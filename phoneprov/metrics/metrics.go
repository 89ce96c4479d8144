// Package metrics exposes phoneprovd's Prometheus metrics: requests by
// protocol, route kind and status; serve and render latency; render cache
// hits; reloads; snapshot generation; and, read from the other parts at
// scrape time, phones by re-sync state, NOTIFYs, Asterisk connections and
// bans.
package metrics

import (
	"maps"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

const namespace = "phoneprovd"

// Metrics holds the collectors. Create it with New; it is safe for
// concurrent use.
type Metrics struct {
	reg *prometheus.Registry

	requests      *prometheus.CounterVec
	serveSeconds  *prometheus.HistogramVec
	renderSeconds prometheus.Histogram
	cacheHits     prometheus.Counter
	renders       *prometheus.CounterVec
	reloads       prometheus.Counter
	reloadErrors  prometheus.Counter
	reloadSeconds prometheus.Histogram
	generation    prometheus.Gauge
	phones        prometheus.Gauge

	// hot caches the request counters and serve-time observers by label
	// values, so that the request path does no label hashing and takes no
	// lock: a map replaced whole (copy on write) when a new combination
	// appears, which stops after the first requests.
	mu  sync.Mutex // serializes additions to hot
	hot atomic.Pointer[hotMetrics]
}

type requestKey struct{ proto, kind, status string }

// hotMetrics is what Request needs, by label values.
type hotMetrics struct {
	counters map[requestKey]prometheus.Counter
	serve    map[string]prometheus.Observer
}

// New returns the metrics, registered with a registry of their own along
// with the Go runtime and process collectors.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: "requests_total",
			Help: "Requests answered, by protocol (http, tftp), route kind (static, dynamic, none) and status (HTTP code or TFTP outcome)."},
			[]string{"proto", "kind", "status"}),
		serveSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: namespace, Name: "serve_seconds",
			Help: "Time to answer a request, by protocol.", Buckets: prometheus.ExponentialBuckets(0.0001, 4, 10)},
			[]string{"proto"}),
		renderSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: namespace, Name: "render_seconds",
			Help: "Time to render a template that was not in the render cache.", Buckets: prometheus.ExponentialBuckets(0.00001, 4, 10)}),
		cacheHits: prometheus.NewCounter(prometheus.CounterOpts{Namespace: namespace, Name: "render_cache_hits_total",
			Help: "Dynamic files served from the render cache."}),
		renders: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: "renders_total",
			Help: "Templates rendered (cache misses), by whether the body depends on the time (volatile, never cached).", ConstLabels: nil},
			[]string{"volatile"}),
		reloads: prometheus.NewCounter(prometheus.CounterOpts{Namespace: namespace, Name: "reloads_total",
			Help: "Snapshots swapped in (the first load included)."}),
		reloadErrors: prometheus.NewCounter(prometheus.CounterOpts{Namespace: namespace, Name: "reload_errors_total",
			Help: "Reloads refused: the previous configuration kept serving."}),
		reloadSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: namespace, Name: "reload_seconds",
			Help: "Time from the start of a reload to the swap: building the snapshot, pre-rendering and fingerprinting.", Buckets: prometheus.ExponentialBuckets(0.001, 4, 8)}),
		generation: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: namespace, Name: "snapshot_generation",
			Help: "Generation of the snapshot being served."}),
		phones: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: namespace, Name: "phones",
			Help: "Phones in the snapshot being served."}),
	}
	m.hot.Store(&hotMetrics{counters: map[requestKey]prometheus.Counter{}, serve: map[string]prometheus.Observer{}})
	m.reg.MustRegister(m.requests, m.serveSeconds, m.renderSeconds, m.cacheHits, m.renders,
		m.reloads, m.reloadErrors, m.reloadSeconds, m.generation, m.phones,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Request counts one answered request and its duration.
func (m *Metrics) Request(proto, kind, status string, took time.Duration) {
	k := requestKey{proto, kind, status}
	hot := m.hot.Load()
	c, ok := hot.counters[k]
	o, ok2 := hot.serve[proto]
	if !ok || !ok2 {
		c, o = m.addHot(k)
	}
	c.Inc()
	o.Observe(took.Seconds())
}

// addHot adds the counter and observer of k to hot.
func (m *Metrics) addHot(k requestKey) (prometheus.Counter, prometheus.Observer) {
	m.mu.Lock()
	defer m.mu.Unlock()
	cur := m.hot.Load()
	c, ok := cur.counters[k]
	o, ok2 := cur.serve[k.proto]
	if ok && ok2 {
		return c, o
	}
	next := &hotMetrics{counters: maps.Clone(cur.counters), serve: maps.Clone(cur.serve)}
	if !ok {
		c = m.requests.WithLabelValues(k.proto, k.kind, k.status)
		next.counters[k] = c
	}
	if !ok2 {
		o = m.serveSeconds.WithLabelValues(k.proto)
		next.serve[k.proto] = o
	}
	m.hot.Store(next)
	return c, o
}

// CacheHit counts a dynamic file served from the render cache.
func (m *Metrics) CacheHit() { m.cacheHits.Inc() }

// Rendered records a render that missed the cache.
func (m *Metrics) Rendered(took time.Duration, volatile bool) {
	m.renderSeconds.Observe(took.Seconds())
	if volatile {
		m.renders.WithLabelValues("true").Inc()
	} else {
		m.renders.WithLabelValues("false").Inc()
	}
}

// Swapped records a snapshot swap.
func (m *Metrics) Swapped(generation uint64, took time.Duration, phones int) {
	m.reloads.Inc()
	m.reloadSeconds.Observe(took.Seconds())
	m.generation.Set(float64(generation))
	m.phones.Set(float64(phones))
}

// ReloadFailed counts a refused reload.
func (m *Metrics) ReloadFailed() { m.reloadErrors.Inc() }

// GaugeFunc exposes a value read at scrape time.
func (m *Metrics) GaugeFunc(name, help string, fn func() float64) {
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: namespace, Name: name, Help: help}, fn))
}

// LabeledFunc exposes values read at scrape time, one per value of label:
// a gauge, or a counter when counter is true (fn's values must then only
// grow).
func (m *Metrics) LabeledFunc(name, help, label string, counter bool, fn func() map[string]float64) {
	m.reg.MustRegister(&labeledFunc{
		desc:    prometheus.NewDesc(prometheus.BuildFQName(namespace, "", name), help, []string{label}, nil),
		counter: counter,
		fn:      fn,
	})
}

// labeledFunc is a collector reading a map of values per scrape.
type labeledFunc struct {
	desc    *prometheus.Desc
	counter bool
	fn      func() map[string]float64
}

func (l *labeledFunc) Describe(ch chan<- *prometheus.Desc) { ch <- l.desc }

func (l *labeledFunc) Collect(ch chan<- prometheus.Metric) {
	typ := prometheus.GaugeValue
	if l.counter {
		typ = prometheus.CounterValue
	}
	for k, v := range l.fn() {
		ch <- prometheus.MustNewConstMetric(l.desc, typ, v, k)
	}
}
