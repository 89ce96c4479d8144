package console

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/asterisk/ami"
	"github.com/phoneprovd/phoneprovd/asterisk/amitest"
	"github.com/phoneprovd/phoneprovd/phoneprov"
	"github.com/phoneprovd/phoneprovd/phoneprov/inventory"
	"github.com/phoneprovd/phoneprovd/phoneprov/phoneprovtest"
	"github.com/phoneprovd/phoneprovd/phoneprov/reload"
	"github.com/phoneprovd/phoneprovd/phoneprov/resync"
	"github.com/phoneprovd/phoneprovd/phoneprov/security"
)

// The test site: a small fleet of several vendors, in Asterisk's own
// files (pjsip.conf type=phoneprov), served by a real reload manager,
// seen by a real inventory, re-synced through a real AMI client and an
// AMI fake, guarded by a real security guard.

// sitePassword is the site's provisioning password, masked everywhere.
const sitePassword = "site-pw-42"

// hunter2 is phone 1's SIP password; its template also has it inside
// other text ("xhunter2y").
const hunter2 = "hunter2"

// sitePhone is one phone of the test site.
type sitePhone struct {
	mac     string
	profile string
	lines   []siteLine
	ua      string // "" for a phone never seen
	ip      string
	seenAgo time.Duration
}

type siteLine struct {
	user, password, name string
}

// basePhones are the phones every test knows by heart.
var basePhones = []sitePhone{
	{mac: "0004f2a10001", profile: "polycom", lines: []siteLine{{"6001", hunter2, "Alice Martin"}, {"6011", "second-line-pw", "Alice (2)"}},
		ua: "FileTransport PolycomVVX-VVX_411-UA/6.4.3.5018 Type/Application", ip: "10.0.1.21", seenAgo: 3 * time.Minute},
	{mac: "0004f2a10002", profile: "polycom", lines: []siteLine{{"6002", "b0b-pw-6002", "Bob Durand"}},
		ua: "FileTransport PolycomVVX-VVX_411-UA/5.9.7.3480 Type/Application", ip: "10.0.1.22", seenAgo: 40 * time.Minute},
	{mac: "805ec0a10003", profile: "yealink", lines: []siteLine{{"6003", "carol-pw-6003", "Carol Petit"}},
		ua: "Yealink SIP-T46S 66.86.0.15 80:5e:c0:a1:00:03", ip: "10.0.1.23", seenAgo: 2 * time.Hour},
	{mac: "805ec0a10004", profile: "yealink", lines: []siteLine{{"6004", "dave-pw-6004", "Dave Moreau"}},
		ua: "Yealink SIP-T54W 96.86.0.100 80:5e:c0:a1:00:04", ip: "10.0.1.24", seenAgo: 26 * time.Hour},
	{mac: "00562ba10005", profile: "cisco", lines: []siteLine{{"6005", "erin-pw-6005", "Erin Roux"}}},
}

// unknownYealink is a device that asked without being configured.
const unknownYealink = "805ec0ffff01"

// generatedPhones adds n phones of the same vendors, for the screenshots
// and the benchmark.
func generatedPhones(n int) []sitePhone {
	models := []struct{ profile, ua string }{
		{"polycom", "FileTransport PolycomVVX-VVX_411-UA/6.4.3.5018 Type/Application"},
		{"polycom", "FileTransport PolycomVVX-VVX_450-UA/6.4.3.5018 Type/Application"},
		{"polycom", "FileTransport PolycomVVX-VVX_250-UA/6.3.1.8427 Type/Application"},
		{"yealink", "Yealink SIP-T46S 66.86.0.15 %s"},
		{"yealink", "Yealink SIP-T46S 66.85.0.5 %s"},
		{"yealink", "Yealink SIP-T54W 96.86.0.100 %s"},
		{"cisco", "Cisco-CP-8851-3PCC/11.3.7 (%s)"},
	}
	ouis := map[string]string{"polycom": "0004f2", "yealink": "805ec0", "cisco": "00562b"}
	out := make([]sitePhone, 0, n)
	for i := 0; i < n; i++ {
		m := models[(i*7+i/3)%len(models)]
		mac := fmt.Sprintf("%s%06x", ouis[m.profile], 0x200000+i)
		p := sitePhone{mac: mac, profile: m.profile, lines: []siteLine{{fmt.Sprint(7000 + i), fmt.Sprintf("gen-pw-%d", i), fmt.Sprintf("User %d", i)}},
			ip: fmt.Sprintf("10.%d.%d.%d", 1+i/60000, (i/250)%250, 10+i%240), seenAgo: time.Duration(i%97) * 7 * time.Minute}
		if i%11 != 5 {
			ua := m.ua
			if strings.Contains(ua, "%s") {
				colons := mac[0:2] + ":" + mac[2:4] + ":" + mac[4:6] + ":" + mac[6:8] + ":" + mac[8:10] + ":" + mac[10:12]
				if m.profile == "cisco" {
					colons = mac
				}
				ua = fmt.Sprintf(ua, colons)
			}
			p.ua = ua
		}
		out = append(out, p)
	}
	return out
}

// siteNow is the test site's "now": what the inventory's times are
// relative to.
var siteNow = time.Now().Truncate(time.Second)

// testSite is a running test site and its console.
type testSite struct {
	*phoneprovtest.Site
	t        testing.TB
	phones   []sitePhone
	manager  *reload.Manager
	inv      *inventory.Inventory
	ami      *amitest.Server
	resyncer *resync.Resyncer
	guard    *security.Guard
	console  *Console
	srv      *httptest.Server // the console over loopback HTTP
}

// siteOptions change the test site.
type siteOptions struct {
	extra    []sitePhone // besides basePhones
	noResync bool
	firmware Firmware
	dhcp     DHCP
	// noPhoneBook leaves the phone book out: at 10,000 phones it is
	// 10,000 phone books of 10,000 entries.
	noPhoneBook bool
	// asteriskAway re-syncs through a notifier whose Asterisk never
	// answers, instead of the AMI fake (slow to fill with 10,000
	// endpoints).
	asteriskAway bool
}

func newTestSite(t testing.TB, o siteOptions) *testSite {
	t.Helper()
	s := &testSite{Site: phoneprovtest.NewSite(t, nil), t: t, phones: append(append([]sitePhone(nil), basePhones...), o.extra...)}
	s.writeFiles(o.noPhoneBook)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)

	opts := s.Options
	opts.Logger = discard()
	s.manager = reload.New(reload.Config{
		Load:     func() (*phoneprov.Snapshot, error) { return phoneprov.Load(opts) },
		Server:   "192.0.2.1",
		Debounce: 20 * time.Millisecond,
		Rescan:   -1,
		Logger:   discard(),
	})
	if err := s.manager.Start(); err != nil {
		t.Fatal(err)
	}
	go s.manager.Run(ctx)

	s.inv = inventory.New(inventory.Config{Now: func() time.Time { return siteNow }})
	for _, p := range s.phones {
		if p.ua == "" {
			continue
		}
		s.observe(p.mac, p.ua, p.ip, p.mac+".cfg", siteNow.Add(-p.seenAgo-time.Second))
		s.observe(p.mac, p.ua, p.ip, p.mac+"-directory.xml", siteNow.Add(-p.seenAgo))
	}
	s.inv.Observe(inventory.Request{Proto: "http", UserAgent: "Yealink SIP-T46S 66.86.0.15 80:5e:c0:ff:ff:01", Path: "y000000000108.cfg",
		RemoteIP: netip.MustParseAddr("10.0.9.99"), Status: "404", At: siteNow.Add(-90 * time.Second)})

	guard, err := security.New(security.Config{ScanThreshold: 3, ScanWindow: time.Minute, BanTime: 10 * time.Minute,
		HTTPAllow: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}, Snapshots: s.manager, Logger: discard()})
	if err != nil {
		t.Fatal(err)
	}
	s.guard = guard

	cfg := Config{
		Version:   "test",
		Snapshot:  s.manager.Snapshot,
		Inventory: s.inv,
		Reload:    s.manager.Status,
		Security:  guard,
		Secrets:   func() []string { return []string{sitePassword} },
		Server:    "192.0.2.1",
		Access:    "loopback only: no credentials are asked",
		Now:       func() time.Time { return siteNow },
		Logger:    discard(),
	}
	if o.firmware != nil {
		cfg.Firmware = o.firmware
	}
	if o.dhcp != nil {
		cfg.DHCP = o.dhcp
	}
	if o.asteriskAway {
		s.resyncer = resync.New(resync.Config{Notifier: awayNotifier{}, Logger: discard()})
		go s.resyncer.Run(ctx)
		cfg.Resync = &testResync{r: s.resyncer, snap: s.manager.Snapshot}
	} else if !o.noResync {
		s.startResync(ctx)
		cfg.Resync = &testResync{r: s.resyncer, snap: s.manager.Snapshot}
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s.console = c
	s.srv = httptest.NewServer(c)
	t.Cleanup(s.srv.Close)
	return s
}

func (s *testSite) observe(mac, ua, ip, file string, at time.Time) {
	s.inv.Observe(inventory.Request{Proto: "http", UserAgent: ua, Path: file, PhoneMAC: mac,
		RemoteIP: netip.MustParseAddr(ip), Status: "200", Bytes: 1234, At: at})
}

// startResync connects a Resyncer to an AMI fake that knows every
// endpoint of the site.
func (s *testSite) startResync(ctx context.Context) {
	s.ami = amitest.NewServer(amitest.Options{})
	s.t.Cleanup(s.ami.Close)
	s.ami.AddUser("phoneprov", "ami-secret")
	s.ami.AddTransport(amitest.Transport{Name: "udp", Bind: "0.0.0.0:5060"})
	for _, p := range s.phones {
		for _, l := range p.lines {
			s.ami.AddEndpoint(amitest.Endpoint{Name: l.user, Transport: "udp", Auths: []string{l.user}, Aors: []string{l.user}})
			s.ami.AddContact(amitest.Contact{AOR: l.user, URI: "sip:" + l.user + "@10.0.1.1:5060", Status: "Reachable"})
		}
	}
	client := ami.New(ami.Config{Addr: s.ami.Addr, Username: "phoneprov", Secret: "ami-secret", Logger: discard()})
	go client.Run(ctx)
	wait, done := context.WithTimeout(ctx, 10*time.Second)
	defer done()
	if err := client.WaitConnected(wait); err != nil {
		s.t.Fatal(err)
	}
	s.resyncer = resync.New(resync.Config{Notifier: resync.AMINotifier{Client: client}, Rate: 100, Jitter: 0, Logger: discard()})
	go s.resyncer.Run(ctx)
}

// awayNotifier is an Asterisk that never answers.
type awayNotifier struct{}

func (awayNotifier) Connected() bool { return false }
func (awayNotifier) Notify(context.Context, resync.Notification) error {
	return resync.ErrNotConnected
}

// notifies returns the NOTIFYs the AMI fake received.
func (s *testSite) notifies() []amitest.Notify { return s.ami.Notifies() }

// testResync is what cmd/phoneprovd does for POST /resync, in small.
type testResync struct {
	r    *resync.Resyncer
	snap func() *phoneprov.Snapshot
}

func (a *testResync) Phone(mac string) (resync.PhoneStatus, bool) { return a.r.Phone(mac) }
func (a *testResync) Status() resync.Status                       { return a.r.Status() }
func (a *testResync) Request(macs []string) (ResyncResult, error) {
	snap := a.snap()
	var res ResyncResult
	for _, mac := range macs {
		p := snap.Phone(mac)
		if p == nil {
			res.Unknown = append(res.Unknown, mac)
			continue
		}
		n, ok := resync.Policy{}.For(p)
		if !ok {
			res.Skipped = append(res.Skipped, mac)
			continue
		}
		a.r.Enqueue(n, snap.Generation(), "requested by an administrator", true)
		res.Queued = append(res.Queued, mac)
	}
	return res, nil
}

// writeFiles writes the site's Asterisk files and templates.
func (s *testSite) writeFiles(noPhoneBook bool) {
	var pj strings.Builder
	pj.WriteString("[udp]\ntype = transport\nprotocol = udp\nbind = 0.0.0.0:5060\n\n")
	for _, p := range s.phones {
		for i, l := range p.lines {
			fmt.Fprintf(&pj, "[%s]\ntype = endpoint\ntransport = udp\nauth = %s\naors = %s\ncallerid = \"%s\" <%s>\n", l.user, l.user, l.user, l.name, l.user)
			fmt.Fprintf(&pj, "[%s]\ntype = auth\nauth_type = userpass\nusername = %s\npassword = %s\n", l.user, l.user, l.password)
			fmt.Fprintf(&pj, "[%s]\ntype = aor\nmax_contacts = 1\n", l.user)
			fmt.Fprintf(&pj, "[pp%s]\ntype = phoneprov\nendpoint = %s\nMAC = %s\nPROFILE = %s\nLINE = %d\n\n", l.user, l.user, p.mac, p.profile, i+1)
		}
	}
	files := map[string]string{
		"etc/phoneprov.conf": `[general]
[common](!)
setvar = PROV_URL=http://prov:` + sitePassword + `@pbx.example.com:8080/phoneprov/
setvar = AUTH_LINE=${USERNAME}:${SECRET}

[polycom](common)
mime_type = text/xml
static_file = polycom/sip.ld,application/octet-stream
${MAC}.cfg => polycom/phone.cfg
${MAC}-directory.xml => polycom/directory.xml

[yealink](common)
mime_type = text/plain
${MAC}.cfg => yealink/mac.cfg

[cisco](common)
mime_type = text/xml
${MAC}.xml => cisco/mac.xml
`,
		"etc/pjsip.conf": pj.String(),
		"lib/phoneprov/polycom/phone.cfg": `<?xml version="1.0" standalone="yes"?>
<!-- ${MAC}: provisioned by phoneprovd from ${PROV_URL} -->
<phone>
  <reg reg.1.address="${USERNAME}" reg.1.label="${DISPLAY_NAME}"
       reg.1.auth.userId="${USERNAME}" reg.1.auth.password="${SECRET}"
       reg.1.label.note="x${SECRET}y" reg.1.server.1.address="${SERVER}"/>
  <lines>${PP_EACH_EXTENSION(${MAC},polycom/line.cfg)}</lines>
</phone>
`,
		"lib/phoneprov/polycom/line.cfg":      "\n    <line n=\"${LINE}\" user=\"${USERNAME}\" password=\"${SECRET}\"/>",
		"lib/phoneprov/polycom/directory.xml": "<directory>\n${PP_EACH_USER(  <item ln='%{DISPLAY_NAME}' ct='%{USERNAME}'/>|${MAC})}\n</directory>\n",
		"lib/phoneprov/polycom/sip.ld":        "\x00\x01firmware\x00image",
		"lib/phoneprov/yealink/mac.cfg": `#!version:1.0.0.1
account.1.enable = 1
account.1.label = ${DISPLAY_NAME}
account.1.user_name = ${USERNAME}
account.1.auth_name = ${USERNAME}
account.1.password = ${SECRET}
account.1.sip_server.1.address = ${SERVER}
static.auto_provision.server.url = ${PROV_URL}
`,
		"lib/phoneprov/cisco/mac.xml": `<flat-profile>
  <Display_Name_1_>${DISPLAY_NAME}</Display_Name_1_>
  <User_ID_1_>${USERNAME}</User_ID_1_>
  <Password_1_>${SECRET}</Password_1_>
  <Proxy_1_>${SERVER}</Proxy_1_>
  <Profile_Rule>${PROV_URL}$MA.xml</Profile_Rule>
</flat-profile>
`,
	}
	if noPhoneBook {
		files["etc/phoneprov.conf"] = strings.Replace(files["etc/phoneprov.conf"], "${MAC}-directory.xml => polycom/directory.xml\n", "", 1)
	}
	for name, text := range files {
		s.Write(name, text)
	}
}

// get fetches a console page over HTTP.
func (s *testSite) get(path string) (int, string) {
	s.t.Helper()
	resp, err := http.Get(s.srv.URL + path)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	if _, err := io.Copy(&b, resp.Body); err != nil {
		s.t.Fatal(err)
	}
	return resp.StatusCode, b.String()
}

// secrets lists every secret of the site: none may appear in a page.
func (s *testSite) secrets() []string {
	out := []string{sitePassword, "ami-secret"}
	for _, p := range s.phones {
		for _, l := range p.lines {
			out = append(out, l.password)
		}
	}
	return out
}

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

// loopbackAddr is a free loopback address.
func loopbackAddr(t testing.TB) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func readFile(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
