package settings

import "time"

// Resync is the [resync] section: SIP NOTIFY check-sync to phones whose
// configuration changed.
type Resync struct {
	// Enabled defaults to whether [ami] is configured.
	Enabled        *bool
	Rate           float64 // NOTIFYs per second
	Jitter         time.Duration
	ConfirmTimeout time.Duration
}

func (r *Resync) defaults() {
	r.Rate, r.Jitter, r.ConfirmTimeout = 10, 2*time.Second, 10*time.Minute
}

func (r *Resync) parser() parser {
	return parser{
		"enabled": func(v string) error {
			b, err := Bool(v)
			r.Enabled = &b
			return err
		},
		"rate":            positive(&r.Rate),
		"jitter":          duration(&r.Jitter),
		"confirm_timeout": duration(&r.ConfirmTimeout),
	}
}

// On reports whether resync runs, given whether AMI is configured.
func (r *Resync) On(ami bool) bool {
	if r.Enabled != nil {
		return *r.Enabled
	}
	return ami
}

// Profile is a [profile:NAME] section: phoneprovd settings for one
// phoneprov.conf profile.
type Profile struct {
	NotifyEvent  string // e.g. check-sync; "" = the vendor default
	NotifyOption string // a pjsip_notify.conf section instead of Variable: Event=
	Resync       bool
	// QuietFiles are route globs whose change alone notifies nobody:
	// served at once, fetched at the phone's next periodic check.
	QuietFiles []string
	// Plugin is the Wazo provd plugin that serves the profile's phones (a
	// directory of [plugins] dir), or "auto": the plugin rated best for
	// what identification saw of each phone. "" for res_phoneprov's files.
	Plugin string
	// Autoprov: unknown phones a plugin of this profile recognises get
	// the profile's settings (provd's autoprov config).
	Autoprov bool
}

func newProfile() *Profile { return &Profile{Resync: true} }

func (p *Profile) parser() parser {
	return parser{
		"notify_event":  str(&p.NotifyEvent),
		"notify_option": str(&p.NotifyOption),
		"resync":        boolean(&p.Resync),
		"quiet_files":   globList(&p.QuietFiles),
		"plugin":        pluginName(&p.Plugin),
		"autoprov":      boolean(&p.Autoprov),
	}
}
