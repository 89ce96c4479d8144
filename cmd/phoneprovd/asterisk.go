package main

import (
	"context"

	"github.com/phoneprovd/phoneprovd/asterisk/ami"
	"github.com/phoneprovd/phoneprovd/asterisk/ari"
	"github.com/phoneprovd/phoneprovd/phoneprov/live"
)

// startAsterisk connects to Asterisk over AMI and/or ARI when
// phoneprovd.conf configures them, and returns the cache of live endpoint
// data that feeds the engine (nil when neither is configured). The clients
// reconnect on their own; when Asterisk is down the last known values keep
// serving.
func (d *daemon) startAsterisk(ctx context.Context) *live.Cache {
	s := d.settings
	var sources []live.Source
	if s.AMI.Enabled {
		c := ami.New(ami.Config{
			Addr:          s.AMI.Addr(),
			Username:      s.AMI.Username,
			Secret:        s.AMI.Secret,
			Events:        "system",
			ActionTimeout: s.AMI.Timeout,
			Logger:        d.log.With("component", "ami"),
		})
		d.run(ctx, func(ctx context.Context) { c.Run(ctx) })
		d.ami = c
		sources = append(sources, live.NewAMI(ctx, c))
	}
	if s.ARI.Enabled {
		c := ari.New(ari.Config{
			URL:         s.ARI.URL,
			Username:    s.ARI.Username,
			Password:    s.ARI.Password,
			Application: s.ARI.Application,
			Timeout:     s.ARI.Timeout,
			Logger:      d.log.With("component", "ari"),
		})
		d.run(ctx, func(ctx context.Context) { c.Run(ctx) })
		sources = append(sources, live.NewARI(ctx, c))
	}
	if len(sources) == 0 {
		return nil
	}
	cache := live.New(live.Config{
		Sources: sources,
		Changed: func(reason string) {
			if d.manager != nil {
				d.manager.Reload(ctx, reason)
			}
		},
		Timeout: s.AMI.Timeout,
		Refresh: s.AMI.Refresh,
		Logger:  d.log.With("component", "live"),
	})
	d.run(ctx, func(ctx context.Context) { cache.Run(ctx) })
	d.admin.Section("asterisk", func() any { return cache.Status() })
	d.live = cache
	return cache
}

// run starts a worker that lasts as long as the daemon.
func (d *daemon) run(ctx context.Context, f func(context.Context)) {
	d.workers.Add(1)
	go func() {
		defer d.workers.Done()
		f(ctx)
	}()
}
