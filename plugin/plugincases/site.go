package plugincases

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/phoneprovd/phoneprovd/family/provd"
	"github.com/phoneprovd/phoneprovd/plugin"
)

// The site describes in Asterisk's files every phone of the golden cases
// and of UnseenCases, so that phoneprovd, serving them, must give the same
// bytes as provd (the golden files) or as the plugin given the case's raw
// config (the unseen cases). What provd holds in its configs, the site says
// with setvars (per profile) and keys of the phone's users.conf or
// pjsip.conf section (per phone):
//
//   - wazo-auto (plugin = auto): the golden T46S and D40, in users.conf,
//     with no model: identification tells which plugin and model;
//   - wazo-digium: the golden D70, in pjsip.conf (its third line's transport
//     listens on 5070, hence proxy_port);
//   - autoprov (autoprov = yes, wazo-digium only): unknown Digium phones get
//     the autoprov line (golden special/B2); an unknown Yealink gets 404
//     (special/A1, A5);
//   - unseen-yealink and unseen-digium: the unseen cases.

// PhoneprovConf is phoneprov.conf.
const PhoneprovConf = `[general]
serveraddr = 192.0.2.10
default_profile = wazo-auto

; What provd's base config gives every phone.
[wazo](!)
setvar => http_base_url=http://192.0.2.10:8667
setvar => http_port=8667
setvar => tftp_port=28669
setvar => ntp_ip=192.0.2.10
setvar => X_xivo_phonebook_ip=192.0.2.10
setvar => sip_dtmf_mode=RTP-out-of-band
setvar => admin_username=admin
setvar => admin_password=fake-Adm1n-pw
setvar => user_username=user
setvar => user_password=fake-Us3r-pw

; The PBX's extensions, which provd's autoprov config lacks.
[wazo-extens](!)
setvar => exten_dnd=*25
setvar => exten_fwd_unconditional=*21
setvar => exten_fwd_no_answer=*22
setvar => exten_fwd_busy=*23
setvar => exten_fwd_disable_all=*20
setvar => exten_park=700
setvar => exten_pickup_group=*8
setvar => exten_pickup_call=*8
setvar => exten_voicemail=*98

[wazo-auto](wazo,wazo-extens)
[wazo-digium](wazo,wazo-extens)

[autoprov](wazo)
setvar => USERNAME=apq7k2m9zx
setvar => SECRET=fake-autoprov-pw
setvar => DISPLAY_NAME=Autoprov
setvar => CALLERID=autoprov

[unseen](!)
setvar => http_base_url=http://192.0.2.10:8667
setvar => http_port=8667
setvar => exten_voicemail=*98

[unseen-yealink](unseen)
setvar => ntp_ip=192.0.2.10
setvar => exten_pickup_call=*8
setvar => admin_username=admin
setvar => admin_password=Adm
setvar => user_username=user
setvar => user_password=Usr

[unseen-digium](unseen)
`

// PhoneprovdConf is phoneprovd.conf's part for these profiles.
const PhoneprovdConf = `[profile:wazo-auto]
plugin = auto

[profile:wazo-digium]
plugin = wazo-digium-1.4.0.0

[profile:autoprov]
plugin = wazo-digium-1.4.0.0
autoprov = yes

[profile:unseen-yealink]
plugin = wazo-yealink-v86

[profile:unseen-digium]
plugin = wazo-digium-1.4.0.0
`

// UsersConf is users.conf.
const UsersConf = `[general]

[u1001t46s]
autoprov = yes
macaddress = 805ec0aabb01
profile = wazo-auto
username = u1001t46s
secret = fake-pw-1001
fullname = Alice Martin
cid_number = 1001
X_xivo_user_uuid = 11111111-1111-4111-8111-111111111001

[u1101d40]
autoprov = yes
macaddress = 000fd3aabb01
profile = wazo-auto
username = u1101d40
secret = fake-pw-1101
fullname = Eve Digium
cid_number = 1101

; unseen: yealink T54W, 4 lines, every key type, Sydney, French
[t54w-l1]
autoprov = yes
macaddress = 805ec0000054
profile = unseen-yealink
model = T54W
firmware = 96.86.0.45
linenumber = 1
username = l1
secret = p1
fullname = Zoë <Accueil> & co
cid_number = 2001
timezone = Australia/Sydney
locale = fr_FR
sip_dtmf_mode = SIP-INFO
vlan_id = 20
vlan_priority = 5
vlan_pc_port_id = 30
syslog_ip = 192.0.2.50
sip_subscribe_mwi = yes
X_xivo_phonebook_ip = 192.0.2.10
X_xivo_user_uuid = aaaa-1
funckey.5 = speeddial,0611223344,Mobile,2
funckey.6 = blf,2010,Boss
funckey.7 = park,701,P1
funckey.8 = speeddial,*3,Record
funckey.9 = paging,1,?
funckey.28 = blf,2099,Exp

[t54w-l2]
autoprov = yes
macaddress = 805ec0000054
profile = unseen-yealink
linenumber = 2
username = l2
secret = p2
fullname = Two
cid_number = 2002
proxy_ip = 192.0.2.11
proxy_port = 5070
backup_proxy_ip = 192.0.2.12
backup_proxy_port = 5071
dtmf_mode = RTP-in-band

[t54w-l3]
autoprov = yes
macaddress = 805ec0000054
profile = unseen-yealink
linenumber = 3
username = l3
secret = p3
fullname = Three
cid_number = 2003
voicemail = *97

[t54w-l4]
autoprov = yes
macaddress = 805ec0000054
profile = unseen-yealink
linenumber = 4
username = l4
secret = p4
fullname = Four
cid_number = 2004
dtmf_mode = RTP-out-of-band

; unseen: yealink T33G, TLS, no DST (Kolkata)
[t33g-a]
autoprov = yes
macaddress = 805ec0000033
profile = unseen-yealink
model = T33G
firmware = 124.86.0.75
switchboard = yes
linenumber = 1
username = a
secret = p
fullname = A
cid_number = 3001
timezone = Asia/Kolkata
sip_transport = tls

[t33g-b]
autoprov = yes
macaddress = 805ec0000033
profile = unseen-yealink
linenumber = 2
username = autop
secret = p
fullname = B
cid_number = autoprov

; unseen: yealink T46S with a per-device template
[t46s-custom]
autoprov = yes
macaddress = 805ec0aabb46
profile = unseen-yealink
model = T46S
username = a
cid_number = 1
timezone = America/Santiago

; unseen: digium D50, 4 lines, keys out of order, New York
[d50-c]
autoprov = yes
macaddress = 000fd3000050
profile = unseen-digium
linenumber = 3
username = c
secret = pc
fullname = C
proxy_ip = 192.0.2.13

[d50-a]
autoprov = yes
macaddress = 000fd3000050
profile = unseen-digium
model = D50
firmware = 1.4.0.0.57389
linenumber = 1
username = a
secret = pa
fullname = A & B
proxy_ip = 192.0.2.11
proxy_port = 5080
backup_proxy_ip = 192.0.2.21
timezone = America/New_York
locale = en_US
vlan_id = 40
funckey.10 = blf,4010,Ten
funckey.2 = speeddial,4002
funckey.1 = park,700,Park

[d50-b]
autoprov = yes
macaddress = 000fd3000050
profile = unseen-digium
linenumber = 2
username = b
auth_username = b-auth
secret = pb
fullname = B
proxy_ip = 192.0.2.12

[d50-d]
autoprov = yes
macaddress = 000fd3000050
profile = unseen-digium
linenumber = 4
username = d
secret = pd
fullname = D
proxy_ip = 192.0.2.14
`

// PJSIPConf is pjsip.conf: the golden D70's three lines.
const PJSIPConf = `[transport-udp]
type = transport
protocol = udp
bind = 0.0.0.0:5060

[transport-5070]
type = transport
protocol = udp
bind = 0.0.0.0:5070

[u1102d70]
type = endpoint
transport = transport-udp
auth = u1102d70-auth
callerid = "François Dupré" <1102>

[u1102d70-auth]
type = auth
auth_type = userpass
username = u1102d70
password = fake-pw-1102

[u1103d70]
type = endpoint
transport = transport-udp
auth = u1103d70-auth
callerid = "Accueil" <1103>

[u1103d70-auth]
type = auth
auth_type = userpass
username = u1103d70
password = fake-pw-1103

[u1104d70]
type = endpoint
transport = transport-5070
auth = u1104d70-auth
callerid = "Ligne 3" <1104>

[u1104d70-auth]
type = auth
auth_type = userpass
username = u1104d70
password = fake-pw-1104

[d70-line1]
type = phoneprov
endpoint = u1102d70
MAC = 000fd3aabb02
PROFILE = wazo-digium
SERVER = 192.0.2.10
LINE = 1
TIMEZONE = Europe/Paris
locale = fr_FR
ntp_ip = 192.0.2.40
funckey.1 = blf,1105,Gérard,1
funckey.2 = speeddial,0145678900,Standard,1

[d70-line2]
type = phoneprov
endpoint = u1103d70
MAC = 000fd3aabb02
PROFILE = wazo-digium
SERVER = 192.0.2.10
LINE = 2
backup_proxy_ip = 192.0.2.12

[d70-line3]
type = phoneprov
endpoint = u1104d70
MAC = 000fd3aabb02
PROFILE = wazo-digium
SERVER = 192.0.2.10
LINE = 3
`

// Fetch is one file a phone asks for and what it must get.
type Fetch struct {
	Case string // a golden case directory or an unseen case's name
	URI  string // the route, as HTTP has it after /phoneprov/ and as a TFTP file name
	MAC  string // the phone, 12 hex digits
	// UserAgent is the request's, from the golden capture when there is one.
	UserAgent string
	// Golden is the file under the golden directory the body must equal;
	// "" for an unseen case (Expected gives its bytes) and for a 404.
	Golden string
	// GoldenSHA256 is the file of the golden directory holding the
	// body's SHA-256 (a static file the capture did not keep).
	GoldenSHA256 string
	// NotFound: the phone gets 404 (provd's answer, golden special/A*, B4).
	NotFound bool
}

// Fetches are the requests of the site's phones. The golden cases' come
// with their captured User-Agents (ReadUserAgents).
var Fetches = []Fetch{
	{Case: "yealink-t46s-1line", URI: "805ec0aabb01.cfg", MAC: "805ec0aabb01", Golden: "yealink-t46s-1line/files/805ec0aabb01.cfg"},
	{Case: "digium-d40-1line", URI: "Digium/000fd3aabb01.cfg", MAC: "000fd3aabb01", Golden: "digium-d40-1line/files/000fd3aabb01.cfg"},
	{Case: "digium-d40-1line", URI: "Digium/000fd3aabb01-contacts.xml", MAC: "000fd3aabb01", Golden: "digium-d40-1line/files/000fd3aabb01-contacts.xml"},
	{Case: "digium-d70-3lines-funckeys", URI: "Digium/000fd3aabb02.cfg", MAC: "000fd3aabb02", Golden: "digium-d70-3lines-funckeys/files/000fd3aabb02.cfg"},
	{Case: "digium-d70-3lines-funckeys", URI: "Digium/000fd3aabb02-contacts.xml", MAC: "000fd3aabb02", Golden: "digium-d70-3lines-funckeys/files/000fd3aabb02-contacts.xml"},
	{Case: "special/B2-autocreate-digium", URI: "Digium/000fd3aabb91.cfg", MAC: "000fd3aabb91", Golden: "special/B2-autocreate-digium/000fd3aabb91.cfg"},
	{Case: "special/B2-autocreate-digium", URI: "Digium/000fd3aabb91-contacts.xml", MAC: "000fd3aabb91", Golden: "special/B2-autocreate-digium/000fd3aabb91-contacts.xml"},
	{Case: "special/A4-static-file-unconfigured", URI: "directory_setting.xml", MAC: "805ec0aabb93", GoldenSHA256: "special/A4-static-file-unconfigured/directory_setting.xml.sha256"},
	{Case: "special/A1-unknown-mac-no-autocreate-config", URI: "805ec0aabb90.cfg", MAC: "805ec0aabb90", NotFound: true},
	{Case: "special/A2-unknown-vendor", URI: "aabbccddeeff.cfg", MAC: "aabbccddeeff", NotFound: true},
	{Case: "special/A5-yealink-no-user-agent", URI: "805ec0aabb94.cfg", MAC: "805ec0aabb94", NotFound: true},
	{Case: "special/B4-yealink-missing-file", URI: "y000000000066.cfg", MAC: "805ec0aabb91", NotFound: true},
	{Case: UnseenCases[0].Name, URI: "805ec0000054.cfg", MAC: "805ec0000054", UserAgent: "Yealink SIP-T54W 96.86.0.45 80:5e:c0:00:00:54"},
	{Case: UnseenCases[1].Name, URI: "805ec0000033.cfg", MAC: "805ec0000033", UserAgent: "Yealink SIP-T33G 124.86.0.75 80:5e:c0:00:00:33"},
	{Case: UnseenCases[2].Name, URI: "805ec0aabb46.cfg", MAC: "805ec0aabb46", UserAgent: "Yealink SIP-T46S 66.86.0.15 80:5e:c0:aa:bb:46"},
	{Case: UnseenCases[3].Name, URI: "Digium/000fd3000050.cfg", MAC: "000fd3000050", UserAgent: "Digium D50 1.4.0.0.57389"},
	{Case: UnseenCases[3].Name, URI: "Digium/000fd3000050-contacts.xml", MAC: "000fd3000050", UserAgent: "Digium D50 1.4.0.0.57389"},
}

// ReadUserAgents fills in the User-Agents of the golden fetches from their
// captured requests (none for A5, captured without one).
func ReadUserAgents(goldenDir string, fetches []Fetch) ([]Fetch, error) {
	out := append([]Fetch(nil), fetches...)
	for i, f := range out {
		if f.UserAgent != "" {
			continue
		}
		dir := filepath.Join(goldenDir, f.Case)
		if _, err := os.Stat(filepath.Join(dir, "files")); err == nil {
			dir = filepath.Join(dir, "files")
		}
		data, err := os.ReadFile(filepath.Join(dir, filepath.Base(f.URI)+".request"))
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		for sc.Scan() {
			if ua, ok := strings.CutPrefix(sc.Text(), "User-Agent: "); ok {
				out[i].UserAgent = strings.TrimRight(ua, "\r")
			}
		}
	}
	return out, nil
}

// WriteSite writes the site under root: the configuration in root/etc
// (phoneprovd.conf holding PhoneprovdConf after extra), and the data
// directory root/lib with a copy of the plugins of sharedProvd/plugins
// and the unseen cases' per-device templates. It returns the two
// directories.
func WriteSite(root, sharedProvd, extra string) (conf, data string, err error) {
	conf, data = filepath.Join(root, "etc"), filepath.Join(root, "lib")
	files := map[string]string{
		filepath.Join(conf, "phoneprov.conf"):  PhoneprovConf,
		filepath.Join(conf, "phoneprovd.conf"): extra + "\n" + PhoneprovdConf,
		filepath.Join(conf, "users.conf"):      UsersConf,
		filepath.Join(conf, "pjsip.conf"):      PJSIPConf,
	}
	for _, c := range UnseenCases {
		for name, body := range c.Custom {
			files[filepath.Join(data, "plugins", c.Plugin, "var/templates", name)] = body
		}
	}
	for _, p := range []string{"wazo-digium-1.4.0.0", "wazo-yealink-v86"} {
		if err := os.CopyFS(filepath.Join(data, "plugins", p), os.DirFS(filepath.Join(sharedProvd, "plugins", p))); err != nil {
			return "", "", err
		}
	}
	if err := os.MkdirAll(filepath.Join(data, "phoneprov"), 0o755); err != nil {
		return "", "", err
	}
	for path, body := range files {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return "", "", err
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			return "", "", err
		}
	}
	return conf, data, nil
}

// Expected renders the files of the unseen cases from their raw configs,
// as the plugin's configure() writes them with pluginsDir's plugins (the
// site's, holding the per-device templates) and eng, with a phone's lines
// in the order of their numbers, as Asterisk orders them. It returns them
// by case name and file name.
func Expected(pluginsDir string, eng plugin.Engine, now time.Time) (map[string]map[string][]byte, error) {
	out := map[string]map[string][]byte{}
	opts := plugin.Options{Engine: eng, Provd: provd.Options{Now: func() time.Time { return now }}}
	for _, c := range UnseenCases {
		p, err := plugin.Load(filepath.Join(pluginsDir, c.Plugin), opts)
		if err != nil {
			return nil, err
		}
		dev, err := provd.DecodeDevice([]byte(c.Device))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.Name, err)
		}
		raw, err := provd.DecodeRawConfig([]byte(c.Config))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.Name, err)
		}
		sortLines(raw)
		files, err := p.Configure(dev, raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.Name, err)
		}
		out[c.Name] = files
	}
	return out, nil
}

// sortLines orders sip_lines by line number.
func sortLines(raw *provd.Dict) {
	lines := raw.Dict("sip_lines")
	if lines == nil {
		return
	}
	keys := append([]any(nil), lines.Keys()...)
	sort.Slice(keys, func(i, j int) bool {
		a, _ := strconv.Atoi(provd.Str(keys[i]))
		b, _ := strconv.Atoi(provd.Str(keys[j]))
		return a < b
	})
	sorted := provd.NewDict()
	for _, k := range keys {
		v, _ := lines.Get(k)
		sorted.Set(k, v)
	}
	raw.Set("sip_lines", sorted)
}
