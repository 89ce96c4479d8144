package loadtest

import (
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// The profile every generated phone uses: a Polycom VVX-like layout with
// four dynamic files and two static ones (docs/vendors.md#polycom,
// family/polycom/README.md).
const fleetPhoneprovConf = `[general]
serverport = 5060
default_profile = vvx

[vvx]
mime_type => text/xml
setvar => NTP_SERVER=pool.ntp.org
setvar => LANGUAGE=English_United_States
setvar => HTTP_PORT=8080
staticdir => firmware/
static_file => bootrom.ld,application/octet-stream
static_file => sip.ld,application/octet-stream
${MAC}.cfg => vvx/master.cfg
${MAC}-overrides.cfg => vvx/overrides.cfg
${MAC}-line.cfg => vvx/line.cfg
${MAC}-phone.cfg => vvx/phone.cfg
`

// fleetTemplates are the templates under DATA-DIR/phoneprov, by path.
// reg.cfg is not a route: phone.cfg renders it once per line through
// PP_EACH_EXTENSION.
var fleetTemplates = map[string]string{
	"vvx/master.cfg": `<?xml version="1.0" standalone="yes"?>
<!-- Master configuration of ${MAC} for ${DISPLAY_NAME} (${USERNAME}), profile ${PROFILE} -->
<!-- Fetch order: this file, the firmware, then CONFIG_FILES from left to right. -->
<APPLICATION APP_FILE_PATH="sip.ld" CONFIG_FILES="${MAC}-overrides.cfg, ${MAC}-line.cfg, ${MAC}-phone.cfg"
 MISC_FILES="" LOG_FILE_DIRECTORY="logs" OVERRIDES_DIRECTORY="overrides" CONTACTS_DIRECTORY="contacts"
 LICENSE_DIRECTORY="licenses" USER_PROFILES_DIRECTORY="" CALL_LISTS_DIRECTORY="calls" COREFILE_DIRECTORY="">
 <APPLICATION_VVX300 APP_FILE_PATH_VVX300="sip.ld" CONFIG_FILES_VVX300="${MAC}-overrides.cfg, ${MAC}-line.cfg, ${MAC}-phone.cfg"/>
 <APPLICATION_VVX310 APP_FILE_PATH_VVX310="sip.ld" CONFIG_FILES_VVX310="${MAC}-overrides.cfg, ${MAC}-line.cfg, ${MAC}-phone.cfg"/>
 <APPLICATION_VVX400 APP_FILE_PATH_VVX400="sip.ld" CONFIG_FILES_VVX400="${MAC}-overrides.cfg, ${MAC}-line.cfg, ${MAC}-phone.cfg"/>
 <APPLICATION_VVX410 APP_FILE_PATH_VVX410="sip.ld" CONFIG_FILES_VVX410="${MAC}-overrides.cfg, ${MAC}-line.cfg, ${MAC}-phone.cfg"/>
 <APPLICATION_VVX500 APP_FILE_PATH_VVX500="sip.ld" CONFIG_FILES_VVX500="${MAC}-overrides.cfg, ${MAC}-line.cfg, ${MAC}-phone.cfg"/>
 <APPLICATION_VVX600 APP_FILE_PATH_VVX600="sip.ld" CONFIG_FILES_VVX600="${MAC}-overrides.cfg, ${MAC}-line.cfg, ${MAC}-phone.cfg"/>
</APPLICATION>
`,
	"vvx/overrides.cfg": `<?xml version="1.0" standalone="yes"?>
<!-- revision 0 -->
<PHONE_CONFIG>
 <OVERRIDES up.backlight.idleIntensity="1" up.backlight.onIntensity="3" up.headsetMode="1"
  device.prov.serverName="http://${SERVER}:${HTTP_PORT}/phoneprov" device.prov.serverType="HTTP"
  lcl.ml.lang="${LANGUAGE}" reg.1.label="${LABEL}"/>
</PHONE_CONFIG>
`,
	"vvx/line.cfg": `<?xml version="1.0" standalone="yes"?>
<!-- Primary line of ${MAC}: ${USERNAME} -->
<PHONE_CONFIG>
 <voIpProt voIpProt.server.1.address="${SERVER}" voIpProt.server.1.port="${SERVER_PORT}"
  voIpProt.server.1.transport="UDPOnly" voIpProt.server.1.expires="3600" voIpProt.server.1.register="1"
  voIpProt.SIP.outboundProxy.address="${SERVER}" voIpProt.SIP.outboundProxy.port="${SERVER_PORT}"
  voIpProt.SIP.outboundProxy.transport="UDPOnly" voIpProt.SIP.requestValidation.1.method=""/>
 <msg msg.bypassInstantMessage="1" msg.mwi.1.subscribe="${USERNAME}" msg.mwi.1.callBackMode="contact"
  msg.mwi.1.callBack="${VOICEMAIL_EXTEN}"/>
 <call call.callWaiting.ring="beep" call.transfer.blindPreferred="1" call.rejectBusyOnDnd="1"
  call.autoAnswer.micMute="1" call.directedCallPickupMethod="native" call.missedCallTracking.1.enabled="1"/>
 <dialplan dialplan.digitmap="[2-9]11|0T|011xxx.T|[0-1][2-9]xxxxxxxxx|[2-9]xxxxxxxxx|[0-9]{${EXTENSION_LENGTH}}|*xx.T"
  dialplan.digitmap.timeOut="3|3|3|3|3|3|3" dialplan.impossibleCallHandling="0" dialplan.removeEndOfDial="1"/>
 <feature feature.enhancedFeatureKeys.enabled="1" feature.presence.enabled="1" feature.callPark.enabled="1"
  feature.directedCallPickup.enabled="1" feature.urlDialing.enabled="0" feature.callListMissed.enabled="1"/>
 <efk efk.version="2" efk.efklist.1.mname="voicemail" efk.efklist.1.status="1"
  efk.efklist.1.action.string="${VOICEMAIL_EXTEN}$Tinvite$" efk.efklist.1.label="Voicemail"/>
</PHONE_CONFIG>
`,
	"vvx/phone.cfg": `<?xml version="1.0" standalone="yes"?>
<!-- Device settings of ${MAC} (${LINEKEYS} line keys) -->
<PHONE_CONFIG>
 <reg ${PP_EACH_EXTENSION(${MAC},vvx/reg.cfg)}/>
 <tcpIpApp tcpIpApp.sntp.address="${NTP_SERVER}" tcpIpApp.sntp.gmtOffset="${TZOFFSET}"
  tcpIpApp.sntp.daylightSavings.enable="0${DST_ENABLE}" tcpIpApp.sntp.resyncPeriod="86400"/>
 <device device.set="1" device.sntp.serverName.set="1" device.sntp.serverName="${NTP_SERVER}"
  device.sntp.gmtOffset.set="1" device.sntp.gmtOffset="${TZOFFSET}"/>
 <lcl lcl.ml.lang="${LANGUAGE}" lcl.datetime.date.format="D,dM" lcl.datetime.time.24HourClock="1"/>
 <voice voice.volume.persist.handset="1" voice.volume.persist.headset="1" voice.volume.persist.handsfree="1"
  voice.aec.hf.enable="1" voice.ns.hf.enable="1" voice.vad.signalAnnexB="0"/>
 <prov prov.polling.enabled="1" prov.polling.mode="abs" prov.polling.time="03:00" prov.polling.timeRandomEnd="04:00"/>
 <se se.rt.enabled="1" se.rt.1.name="Ring 1" se.pat.callProg.busy.name="busy" se.pat.callProg.ringback.name="ringback"/>
</PHONE_CONFIG>
`,
	"vvx/reg.cfg": `
  reg.${LINE}.displayName="${DISPLAY_NAME}" reg.${LINE}.address="${USERNAME}" reg.${LINE}.label="${LABEL}"
  reg.${LINE}.auth.userId="${USERNAME}" reg.${LINE}.auth.password="${SECRET}" reg.${LINE}.lineKeys="${LINEKEYS}"
  reg.${LINE}.server.1.address="${SERVER}" reg.${LINE}.server.1.port="${SERVER_PORT}"`,
}

// Sizes of the two static, firmware-like files every phone fetches.
var fleetStaticSizes = map[string]int{
	"firmware/bootrom.ld": 3 << 10,
	"firmware/sip.ld":     6 << 10,
}

// fleetZones are the time zones the users are spread over (TZOFFSET and
// the DST_* variables are computed from them at load).
var fleetZones = []string{"America/New_York", "Europe/Berlin", "Asia/Kolkata", "UTC"}

// filesPerPhone is how many files each phone fetches when it boots.
const filesPerPhone = 6

// phone is one generated phone: its MAC and the paths of the files it
// fetches when it boots, in the order a VVX asks for them.
type phone struct {
	mac    string
	lines  int
	paths  [filesPerPhone]string
	static [filesPerPhone]bool // paths[i] is a static file, the same for every phone
}

// staticFiles marks the static files among a phone's paths.
var staticFiles = [filesPerPhone]bool{false, true, true, false, false, false}

// fleet is a generated site in Asterisk's format: users.conf and
// phoneprov.conf under confDir, templates and static files under
// dataDir/phoneprov.
type fleet struct {
	confDir string
	dataDir string
	phones  []phone
}

// templatePath is where the template name lives on disk.
func (f *fleet) templatePath(name string) string {
	return filepath.Join(f.dataDir, "phoneprov", filepath.FromSlash(name))
}

// generateFleet writes n phones into root/etc and root/lib. One phone in
// four has two lines (two users on one MAC, linenumber 1 and 2), so n
// phones are about 1.25·n users. The same n always gives the same bytes.
func generateFleet(root string, n int) (*fleet, error) {
	if n < 1 || n > 1<<24 {
		return nil, fmt.Errorf("fleet of %d phones: want 1 to %d", n, 1<<24)
	}
	f := &fleet{confDir: filepath.Join(root, "etc"), dataDir: filepath.Join(root, "lib")}
	rng := rand.New(rand.NewChaCha8([32]byte{'b', 'o', 'o', 't', 's', 't', 'o', 'r', 'm'}))

	var users strings.Builder
	users.WriteString("[general]\nvmexten = *97\nlocalextenlength = 5\n\n")
	ext := 20000
	for i := range n {
		p := phone{mac: fmt.Sprintf("0004f2%06x", i), lines: 1}
		if i%4 == 3 {
			p.lines = 2
		}
		zone := fleetZones[i%len(fleetZones)]
		for line := 1; line <= p.lines; line++ {
			secret := make([]byte, 12)
			for j := range secret {
				secret[j] = byte(rng.Uint32())
			}
			fmt.Fprintf(&users, "[%d]\nfullname = %s\nusername = %d\nsecret = %s\ncid_number = %d\nlabel = %d\n"+
				"macaddress = %s\ntimezone = %s\nlinenumber = %d\nlinekeys = %d\nautoprov = yes\n\n",
				ext, personName(rng), ext, hex.EncodeToString(secret), ext, ext, p.mac, zone, line, p.lines)
			ext++
		}
		p.paths = [filesPerPhone]string{
			"/phoneprov/" + p.mac + ".cfg",
			"/phoneprov/bootrom.ld",
			"/phoneprov/sip.ld",
			"/phoneprov/" + p.mac + "-overrides.cfg",
			"/phoneprov/" + p.mac + "-line.cfg",
			"/phoneprov/" + p.mac + "-phone.cfg",
		}
		p.static = staticFiles
		f.phones = append(f.phones, p)
	}

	files := map[string][]byte{
		filepath.Join(f.confDir, "users.conf"):     []byte(users.String()),
		filepath.Join(f.confDir, "phoneprov.conf"): []byte(fleetPhoneprovConf),
	}
	for name, text := range fleetTemplates {
		files[f.templatePath(name)] = []byte(text)
	}
	for name, size := range fleetStaticSizes {
		body := make([]byte, size)
		for j := range body {
			body[j] = byte(rng.Uint32())
		}
		files[f.templatePath(name)] = body
	}
	for path, body := range files {
		if err := writeFile(path, body); err != nil {
			return nil, fmt.Errorf("generating the fleet: %w", err)
		}
	}
	return f, nil
}

// bootOrder returns the phones in the order they boot after a power cut:
// a fixed shuffle, the same for every server.
func (f *fleet) bootOrder() []phone {
	order := append([]phone(nil), f.phones...)
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	return order
}

// paths returns every distinct path the fleet fetches.
func (f *fleet) paths() []string {
	seen := make(map[string]bool)
	var out []string
	for _, p := range f.phones {
		for _, path := range p.paths {
			if !seen[path] {
				seen[path] = true
				out = append(out, path)
			}
		}
	}
	return out
}

var (
	firstNames = []string{"Ada", "Bruno", "Chloe", "Dmitri", "Elena", "Farid", "Grace", "Hiroshi", "Ines", "Jonas", "Kavya", "Liam"}
	lastNames  = []string{"Martin", "Novak", "Okafor", "Petersen", "Quinn", "Rossi", "Schmidt", "Tanaka", "Umarov", "Varga", "Weber", "Yilmaz"}
)

// personName returns a made-up full name.
func personName(rng *rand.Rand) string {
	return firstNames[rng.IntN(len(firstNames))] + " " + lastNames[rng.IntN(len(lastNames))]
}

// writeFile writes body to path, creating its directory.
func writeFile(path string, body []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, body, 0o644)
}
