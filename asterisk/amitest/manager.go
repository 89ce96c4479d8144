package amitest

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// handler is one manager action: the write classes allowed to run it (0 for
// anyone) and its implementation, which reports whether the session goes on.
type handler struct {
	authority int
	chanSIP   bool
	run       func(ss *session, req request, list *listReply) bool
}

// handlers maps lower-case action names (matched case-insensitively, as
// action_find does) to their implementation.
var handlers = map[string]handler{
	"login":              {0, false, (*session).login},
	"logoff":             {0, false, (*session).logoff},
	"challenge":          {0, false, (*session).challengeAction},
	"events":             {0, false, (*session).events},
	"ping":               {0, false, (*session).ping},
	"coresettings":       {classSystem | classReporting, false, (*session).coreSettings},
	"reload":             {classConfig | classSystem, false, (*session).reload},
	"pjsipshowendpoints": {classSystem, false, (*session).showEndpoints},
	"pjsipshowendpoint":  {classSystem, false, (*session).showEndpoint},
	"pjsipshowauths":     {classSystem, false, (*session).showAuths},
	"pjsipshowcontacts":  {classSystem, false, (*session).showContacts},
	"pjsipnotify":        {classSystem, false, (*session).pjsipNotify},
	"sippeers":           {classSystem | classReporting, true, (*session).sipPeers},
	"sipshowpeer":        {classSystem | classReporting, true, (*session).sipShowPeer},
	"sipnotify":          {classSystem, true, (*session).sipNotify},
}

// login implements action_login and authenticate.
func (ss *session) login(req request, _ *listReply) bool {
	if ss.isAuthenticated() {
		ss.sendAck(req, "Already authenticated")
		return true
	}
	u, ok := ss.authenticate(req)
	if !ok {
		select {
		case <-time.After(ss.srv.opts.AuthFailDelay):
		case <-ss.dying:
			return false
		}
		ss.sendError(req, "Authentication failed")
		return false
	}
	ss.mu.Lock()
	ss.authenticated = true
	ss.readPerm, ss.writePerm = u.read, u.write
	if m := eventMask(req.header("Events")); m >= 0 {
		ss.sendEvents = m
	}
	fullyBooted := ss.sendEvents&classSystem != 0 && ss.readPerm&classSystem != 0
	ss.mu.Unlock()
	ss.conn.SetReadDeadline(time.Time{})
	ss.sendAck(req, "Authentication accepted")
	if fullyBooted {
		ss.srv.mu.Lock()
		lastReload := ss.srv.lastReload
		ss.srv.mu.Unlock()
		now := time.Now()
		ss.send(fmt.Sprintf("Event: FullyBooted\r\nPrivilege: %s\r\nUptime: %d\r\nLastReload: %d\r\nStatus: Fully Booted\r\n\r\n",
			authorityString(classSystem), int(now.Sub(ss.srv.started).Seconds()), int(now.Sub(lastReload).Seconds())))
	}
	ss.srv.Emit(ss.successfulAuth(req.header("Username")))
	return true
}

// authenticate checks a Login's credentials: a plain Secret, or with
// AuthType: MD5 a Key equal to md5(challenge + secret) in lower-case hex.
func (ss *session) authenticate(req request) (user, bool) {
	name := req.header("Username")
	if name == "" {
		return user{}, false
	}
	ss.srv.mu.Lock()
	u, ok := ss.srv.users[name]
	ss.srv.mu.Unlock()
	if !ok {
		return user{}, false
	}
	if strings.EqualFold(req.header("AuthType"), "MD5") {
		key := req.header("Key")
		if key == "" || ss.challenge == "" {
			return user{}, false
		}
		sum := md5.Sum([]byte(ss.challenge + u.secret))
		return u, hex.EncodeToString(sum[:]) == key
	}
	return u, req.header("Secret") == u.secret
}

// successfulAuth builds the SuccessfulAuth security event of a login
// (report_auth_success), with the fields of main/security_events.c in order.
func (ss *session) successfulAuth(username string) Event {
	const iso8601 = "2006-01-02T15:04:05.000-0700"
	tv := time.Now().Format(iso8601)
	return Event{Name: "SuccessfulAuth", Class: "security", Fields: []Field{
		{"EventTV", tv},
		{"Severity", "Informational"},
		{"Service", "AMI"},
		{"EventVersion", "1"},
		{"AccountID", username},
		{"SessionID", fmt.Sprintf("%#x", 0x7f1fc0000000+ss.id*0x1000)},
		{"LocalAddress", "IPV4/TCP/" + strings.Replace(ss.srv.Addr, ":", "/", 1)},
		{"RemoteAddress", "IPV4/TCP/" + strings.Replace(ss.conn.RemoteAddr().String(), ":", "/", 1)},
		{"UsingPassword", "0"},
		{"SessionTV", ss.start.Format(iso8601)},
	}}
}

// logoff implements action_logoff.
func (ss *session) logoff(req request, _ *listReply) bool {
	ss.sendResponse(req, "Goodbye", "", "Thanks for all the fish.")
	return false
}

// challengeAction implements action_challenge.
func (ss *session) challengeAction(req request, _ *listReply) bool {
	if !strings.EqualFold(req.header("AuthType"), "MD5") {
		ss.sendError(req, "Must specify AuthType")
		return true
	}
	if ss.challenge == "" {
		ss.challenge = strconv.FormatInt(rand.Int64N(1<<31), 10)
	}
	b := startAck(req)
	b.WriteString("Challenge: " + ss.challenge + "\r\n\r\n")
	ss.send(b.String())
	return true
}

// events implements action_events.
func (ss *session) events(req request, _ *listReply) bool {
	mask := eventMask(req.header("EventMask"))
	if mask < 0 {
		ss.sendError(req, "Invalid event mask")
		return true
	}
	ss.mu.Lock()
	ss.sendEvents = mask
	ss.mu.Unlock()
	state := "Off"
	if mask > 0 {
		state = "On"
	}
	ss.send("Response: Success\r\n" + actionIDLine(req) + "Events: " + state + "\r\n\r\n")
	return true
}

// ping implements action_ping.
func (ss *session) ping(req request, _ *listReply) bool {
	now := time.Now()
	b := startAck(req)
	fmt.Fprintf(b, "Ping: Pong\r\nTimestamp: %d.%06d\r\n\r\n", now.Unix(), now.Nanosecond()/1000)
	ss.send(b.String())
	return true
}

// coreSettings implements action_coresettings.
func (ss *session) coreSettings(req request, _ *listReply) bool {
	o := ss.srv.opts
	b := startAck(req)
	writeFields(b, []Field{
		{"AMIversion", o.AMIVersion},
		{"AsteriskVersion", o.AsteriskVersion},
		{"SystemName", o.SystemName},
		{"CoreMaxCalls", "0"},
		{"CoreMaxLoadAvg", "0.000000"},
		{"CoreRunUser", ""},
		{"CoreRunGroup", ""},
		{"CoreMaxFilehandles", "0"},
		{"CoreRealTimeEnabled", "No"},
		{"CoreCDRenabled", "Yes"},
		{"CoreHTTPenabled", "Yes"},
		{"SoundsSearchCustomDir", "No"},
	})
	b.WriteString("\r\n")
	ss.send(b.String())
	return true
}

// reload implements action_reload over the configured module names. Every
// reload request publishes a Reload event (publish_reload_message), even a
// failed one.
func (ss *session) reload(req request, _ *listReply) bool {
	module := req.header("Module")
	found := module == ""
	base := strings.TrimSuffix(module, ".so")
	for _, m := range ss.srv.opts.Modules {
		if strings.EqualFold(strings.TrimSuffix(m, ".so"), base) {
			found = true
		}
	}
	if !found {
		ss.sendError(req, "No such module")
		ss.srv.reloaded(module, 2)
		return true
	}
	ss.sendAck(req, "Module Reloaded")
	ss.srv.reloaded(module, 0)
	return true
}
