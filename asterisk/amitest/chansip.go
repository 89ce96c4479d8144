package amitest

import (
	"maps"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"
)

// address returns where a peer can be reached: its static host or the
// address it registered from; ok is false for an unregistered dynamic peer.
func (p Peer) address() (host string, port int, ok bool) {
	if p.Host != "" {
		return p.Host, p.Port, true
	}
	if p.Addr == "" {
		return "", 0, false
	}
	h, ps, err := net.SplitHostPort(p.Addr)
	if err != nil {
		return p.Addr, 5060, true
	}
	n, _ := strconv.Atoi(ps)
	return h, n, true
}

// yesNo renders a flag the way chan_sip's manager output does.
func yesNo(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

// sipPeers implements SIPpeers (manager_sip_show_peers): one PeerEntry per
// peer sorted by name, then PeerlistComplete.
func (ss *session) sipPeers(req request, list *listReply) bool {
	s := ss.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	ss.sendListAck(req, "Peer status list will follow")
	names := slices.Sorted(maps.Keys(s.peers))
	for _, name := range names {
		p := s.peers[name]
		ip, port := "-none-", "0"
		if h, n, ok := p.address(); ok {
			ip, port = h, strconv.Itoa(n)
		}
		b := eventHead(req, "PeerEntry")
		writeFields(b, []Field{
			{"Channeltype", "SIP"},
			{"ObjectName", p.Name},
			{"ChanObjectType", "peer"},
			{"IPaddress", ip},
			{"IPport", port},
			{"Dynamic", yesNo(p.Host == "", "yes", "no")},
			{"AutoForcerport", "yes"},
			{"Forcerport", "no"},
			{"AutoComedia", "no"},
			{"Comedia", "no"},
			{"VideoSupport", "no"},
			{"TextSupport", "no"},
			{"ACL", "no"},
			{"Status", "Unmonitored"},
			{"RealtimeDevice", "no"},
			{"Description", ""},
			{"Accountcode", ""},
		})
		list.event(b)
	}
	return list.complete(req, "PeerlistComplete", len(names))
}

// sipShowPeer implements SIPshowpeer (manager_sip_show_peer and the manager
// branch of _sip_show_peer). The reply always ends with one more CRLF,
// even after an error.
func (ss *session) sipShowPeer(req request, _ *listReply) bool {
	name := req.header("Peer")
	if name == "" {
		ss.sendError(req, "Peer: <name> missing.")
		return true
	}
	s := ss.srv
	s.mu.Lock()
	p, ok := s.peers[name]
	s.mu.Unlock()
	if !ok {
		ss.sendError(req, "Peer "+name+" not found.")
		ss.send("\r\n")
		return true
	}
	ip, port := "(null)", 0
	if h, n, ok := p.address(); ok {
		ip, port = h, n
	}
	expire := -1
	if p.Host == "" && p.Addr != "" && !p.RegExpires.IsZero() {
		expire = int(time.Until(p.RegExpires).Seconds())
	}
	b := startAck(req)
	writeFields(b, []Field{
		{"Channeltype", "SIP"},
		{"ObjectName", p.Name},
		{"ChanObjectType", "peer"},
		{"SecretExist", yesNo(p.Secret != "", "Y", "N")},
		{"RemoteSecretExist", "N"},
		{"MD5SecretExist", "N"},
		{"Context", p.Context},
		{"Language", ""},
		{"ToneZone", "<Not set>"},
		{"AMAflags", "Unknown"},
		{"CID-CallingPres", "Presentation Allowed, Not Screened"},
		{"Callgroup", ""},
		{"Pickupgroup", ""},
		{"Named Callgroup", ""},
		{"Named Pickupgroup", ""},
		{"MOHSuggest", ""},
		{"VoiceMailbox", ""},
		{"TransferMode", "open"},
		{"LastMsgsSent", "0"},
		{"Maxforwards", "0"},
		{"Call-limit", "0"},
		{"Busy-level", "0"},
		{"MaxCallBR", "384 kbps"},
		{"Dynamic", yesNo(p.Host == "", "Y", "N")},
		{"Callerid", p.Callerid},
		{"RegExpire", strconv.Itoa(expire) + " seconds"},
		{"SIP-AuthInsecure", "no"},
		{"SIP-Forcerport", "a"},
		{"SIP-Comedia", "N"},
		{"ACL", "N"},
		{"SIP-CanReinvite", "Y"},
		{"SIP-DirectMedia", "Y"},
		{"SIP-PromiscRedir", "N"},
		{"SIP-UserPhone", "N"},
		{"SIP-VideoSupport", "N"},
		{"SIP-TextSupport", "N"},
		{"SIP-T.38Support", "N"},
		{"SIP-T.38EC", "Unknown"},
		{"SIP-T.38MaxDtgrm", "4294967295"},
		{"SIP-Sess-Timers", "Accept"},
		{"SIP-Sess-Refresh", "uas"},
		{"SIP-Sess-Expires", "1800"},
		{"SIP-Sess-Min", "90"},
		{"SIP-RTP-Engine", "asterisk"},
		{"SIP-Encryption", "N"},
		{"SIP-RTCP-Mux", "N"},
		{"SIP-DTMFmode", "rfc2833"},
		{"ToHost", p.Host},
		{"Address-IP", ip},
		{"Address-Port", strconv.Itoa(port)},
		{"Default-addr-IP", "(null)"},
		{"Default-addr-port", "0"},
		{"Default-Username", p.DefaultUsername},
		{"Codecs", "(ulaw|alaw)"},
		{"Status", "Unmonitored"},
		{"SIP-Useragent", p.UserAgent},
		{"Reg-Contact", p.RegContact},
		{"QualifyFreq", "60000 ms"},
		{"Parkinglot", ""},
		{"SIP-Use-Reason-Header", "N"},
		{"Description", ""},
	})
	b.WriteString("\r\n")
	ss.send(b.String())
	return true
}

// sipNotify implements SIPnotify (manager_sipnotify). Without a dialog
// (Call-ID) the target must be a peer with an address or a literal IP;
// anything else is "Could not create address", as create_addr fails.
func (ss *session) sipNotify(req request, _ *listReply) bool {
	name := req.header("Channel")
	if name == "" {
		ss.sendError(req, "SIPNotify requires a channel name")
		return true
	}
	if len(name) >= 4 && strings.EqualFold(name[:4], "sip/") {
		name = name[4:]
	}
	if req.header("Call-ID") != "" {
		ss.sendError(req, "Call-ID not found")
		return true
	}
	s := ss.srv
	s.mu.Lock()
	p, known := s.peers[name]
	s.mu.Unlock()
	var target string
	switch {
	case known:
		h, port, ok := p.address()
		if !ok {
			ss.sendError(req, "Could not create address")
			return true
		}
		target = "sip:" + p.Name + "@" + net.JoinHostPort(h, strconv.Itoa(port))
	default:
		host := name
		if h, _, err := net.SplitHostPort(name); err == nil {
			host = h
		}
		if net.ParseIP(host) == nil {
			ss.sendError(req, "Could not create address")
			return true
		}
		target = "sip:" + name
	}
	s.recordNotify(Notify{Action: "SIPnotify", Endpoint: name, Variables: req.all("Variable"), Contacts: []string{target}})
	ss.sendAck(req, "Notify Sent")
	return true
}
