package phoneprov

import "github.com/phoneprovd/phoneprovd/asterisk/pjsip"

// techResolver decides whether an endpoint name is a PJSIP endpoint or a
// chan_sip peer, for choosing PJSIPNotify or SIPnotify: pjsip.conf, then
// the PBX's own answer, then sip.conf/users.conf peers; otherwise PJSIP,
// the only technology from Asterisk 21 on.
func techResolver(opts *Options, objs *pjsip.Objects, peers map[string]*sipPeer) func(provider, endpoint string) string {
	return func(provider, endpoint string) string {
		if provider == ProviderPJSIP {
			return "PJSIP"
		}
		if objs != nil {
			if _, ok := objs.Endpoints[endpoint]; ok {
				return "PJSIP"
			}
		}
		if le, ok := liveEndpoint(opts, endpoint); ok && le.Tech != "" {
			return le.Tech
		}
		if _, ok := peers[endpoint]; ok && opts.AsteriskVersion < 21 {
			return "SIP"
		}
		return "PJSIP"
	}
}
