package provider

import "github.com/phoneprovd/phoneprovd/asterisk/pjsip"

// TechResolver decides whether an endpoint name is a PJSIP endpoint or a
// chan_sip peer, for choosing PJSIPNotify or SIPnotify: pjsip.conf, then
// the PBX's own answer, then sip.conf/users.conf peers; otherwise PJSIP,
// the only technology from Asterisk 21 on.
func TechResolver(c *Config, objs *pjsip.Objects, peers SIPPeers) func(provider, endpoint string) string {
	return func(provider, endpoint string) string {
		if provider == PJSIP {
			return "PJSIP"
		}
		if objs != nil {
			if _, ok := objs.Endpoints[endpoint]; ok {
				return "PJSIP"
			}
		}
		if le, ok := c.liveEndpoint(endpoint); ok && le.Tech != "" {
			return le.Tech
		}
		if _, ok := peers[endpoint]; ok && c.AsteriskVersion < 21 {
			return "SIP"
		}
		return "PJSIP"
	}
}
