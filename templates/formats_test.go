package templates_test

// What each shipped template renders: its format, where each SIP account
// is, the fixed settings it must carry and where its phonebook is. The
// setting names come from the vendors' guides listed in each
// phoneprov/<vendor>/README.md.

import "fmt"

// lineKeys are the settings a format puts one SIP account in.
type lineKeys struct {
	users   []string // each must hold USERNAME (user id, auth id, …)
	secret  string
	display string
	server  string // SERVER, or SERVER:SERVER_PORT when port is ""
	port    string
}

// format describes one template's output: how to parse it, where each line's
// account is, which fixed settings it must carry, and where its phonebook is.
type format struct {
	parse func(body string) (settings, *xmlNode, error)
	// line names the settings of line n; nil when the file has no accounts.
	line func(n int) lineKeys
	// fixed are settings that must have exactly this value: above all the
	// one that makes the phone accept a check-sync (or resync) NOTIFY.
	fixed map[string]string
	// refs are settings that name another file the phone fetches from
	// phoneprovd (a URL, a server path or a bare file name), with the text
	// the phone appends to the value.
	refs map[string]string
	// book extracts the phonebook; nil when the file has none.
	book func(root *xmlNode) (name string, list []entry)
	// shared files are the same for every phone of the profile.
	shared bool
	// dst reads the daylight saving time rule; nil when the file has none.
	dst dstReader
}

func keyValueFormat(body string) (settings, *xmlNode, error) {
	s, err := parseKeyValue(body)
	return s, nil, err
}

func elementFormat(body string) (settings, *xmlNode, error) {
	root, err := parseXML(body)
	if err != nil {
		return nil, nil, err
	}
	return elementSettings(root), root, nil
}

func attributeFormat(body string) (settings, *xmlNode, error) {
	root, err := parseXML(body)
	if err != nil {
		return nil, nil, err
	}
	return attributeSettings(root), root, nil
}

// directoryBook reads the <XxxIPPhoneDirectory><DirectoryEntry><Name>
// <Telephone> phonebooks of Yealink, Cisco and Fanvil.
func directoryBook(root *xmlNode) (string, []entry) {
	return root.name, entries(root, "DirectoryEntry", "Name", "Telephone")
}

// grandstreamP returns account n's P-value for a setting: account 1 uses
// p1, accounts 2 to 4 use P<n+2><suffix> (Grandstream's P-value tables;
// grandstream/README.md).
func grandstreamP(n int, p1, suffix string) string {
	if n == 1 {
		return "gs_provision/config/P" + p1
	}
	return fmt.Sprintf("gs_provision/config/P%d%s", n+2, suffix)
}

// formats are the shipped templates, by their path under DATA-DIR/phoneprov.
var formats = map[string]format{
	"polycom/master.cfg": {
		parse: attributeFormat,
		refs:  map[string]string{"CONFIG_FILES": ""},
	},
	"polycom/phone.cfg": {
		dst:   polycomDST,
		parse: attributeFormat,
		line: func(n int) lineKeys {
			r := fmt.Sprintf("reg.%d.", n)
			return lineKeys{
				users:   []string{r + "address", r + "auth.userId"},
				secret:  r + "auth.password",
				display: r + "displayName",
				server:  r + "server.1.address",
				port:    r + "server.1.port",
			}
		},
		fixed: map[string]string{"voIpProt.SIP.specialEvent.checkSync.alwaysReboot": "0"},
	},
	"polycom/directory.xml": {
		parse: elementFormat,
		book: func(root *xmlNode) (string, []entry) {
			return root.name, entries(root, "item", "fn", "ct")
		},
	},
	"yealink/common.cfg": {
		parse:  keyValueFormat,
		fixed:  map[string]string{"sip.notify_reboot_enable": "0", "sip.trust_ctrl": "1"},
		shared: true,
	},
	"yealink/mac.cfg": {
		dst:   yealinkDST,
		parse: keyValueFormat,
		line: func(n int) lineKeys {
			a := fmt.Sprintf("account.%d.", n)
			return lineKeys{
				users:   []string{a + "user_name", a + "auth_name"},
				secret:  a + "password",
				display: a + "display_name",
				server:  a + "sip_server.1.address",
				port:    a + "sip_server.1.port",
			}
		},
		refs: map[string]string{"remote_phonebook.data.1.url": ""},
	},
	"yealink/phonebook.xml": {parse: elementFormat, book: directoryBook},
	"cisco-spa/flat-profile.xml": {
		dst:   ciscoSPADST,
		parse: elementFormat,
		line: func(n int) lineKeys {
			k := func(name string) string { return fmt.Sprintf("flat-profile/%s_%d_", name, n) }
			return lineKeys{
				users:   []string{k("User_ID")},
				secret:  k("Password"),
				display: k("Display_Name"),
				server:  k("Proxy"),
			}
		},
		fixed: map[string]string{"flat-profile/Resync_From_SIP": "Yes"},
		refs: map[string]string{
			"flat-profile/Profile_Rule":              "",
			"flat-profile/XML_Directory_Service_URL": "",
		},
	},
	"cisco-spa/directory.xml": {parse: elementFormat, book: directoryBook},
	"cisco-79xx/sep.cnf.xml": {
		parse: elementFormat,
		line: func(n int) lineKeys {
			k := func(name string) string { return fmt.Sprintf("device/sipProfile/sipLines/line[%d]/%s", n, name) }
			return lineKeys{
				users:   []string{k("name"), k("authName")},
				secret:  k("authPassword"),
				display: k("displayName"),
				server:  k("proxy"),
				port:    k("port"),
			}
		},
		fixed: map[string]string{"device/deviceProtocol": "SIP"},
		refs: map[string]string{
			"device/sipProfile/dialTemplate": "",
			"device/directoryURL":            "",
		},
	},
	"cisco-79xx/directory.xml": {parse: elementFormat, book: directoryBook},
	"grandstream/cfg.xml": {
		dst:   grandstreamDST,
		parse: elementFormat,
		line: func(n int) lineKeys {
			return lineKeys{
				users:   []string{grandstreamP(n, "35", "04"), grandstreamP(n, "36", "05")},
				secret:  grandstreamP(n, "34", "06"),
				display: grandstreamP(n, "3", "07"),
				server:  grandstreamP(n, "47", "02"),
			}
		},
		fixed: map[string]string{"gs_provision/config/P4428": "1"},
		refs: map[string]string{
			"gs_provision/config/P237": "/cfg" + macMarker + ".xml",
			"gs_provision/config/P331": "/phonebook.xml",
		},
	},
	"grandstream/phonebook.xml": {
		parse: elementFormat,
		book: func(root *xmlNode) (string, []entry) {
			return root.name, entries(root, "Contact", "LastName", "phonenumber")
		},
	},
	"snom/settings.xml": {
		dst:   snomDST,
		parse: elementFormat,
		line: func(n int) lineKeys {
			k := func(name string) string { return fmt.Sprintf("settings/phone-settings/%s[%d]", name, n) }
			return lineKeys{
				users:   []string{k("user_name"), k("user_pname")},
				secret:  k("user_pass"),
				display: k("user_realname"),
				server:  k("user_host"),
			}
		},
		fixed: map[string]string{"settings/phone-settings/challenge_checksync": "off"},
		refs:  map[string]string{"settings/phone-settings/setting_server": ""},
		book: func(root *xmlNode) (string, []entry) {
			return "tbook", entries(root, "item", "name", "number")
		},
	},
	"fanvil/sysconf.xml": {
		dst:   fanvilDST,
		parse: elementFormat,
		line: func(n int) lineKeys {
			k := func(name string) string { return fmt.Sprintf("sysConf/sip/line[%d]/%s", n, name) }
			return lineKeys{
				users:   []string{k("PhoneNumber"), k("RegisterUser")},
				secret:  k("RegisterPswd"),
				display: k("DisplayName"),
				server:  k("RegisterAddr"),
				port:    k("RegisterPort"),
			}
		},
		fixed: map[string]string{"sysConf/sip/NotifyReboot": "1"},
		refs:  map[string]string{"sysConf/phone/xmlContact[1]/Addr": ""},
	},
	"fanvil/phonebook.xml": {parse: elementFormat, book: directoryBook},
}

// macMarker in a ref's suffix stands for the phone's MAC: Grandstream
// phones append cfg<mac>.xml to the config server path.
const macMarker = "<mac>"

// phonebookRoots are the root elements each vendor's phonebook must have.
var phonebookRoots = map[string]string{
	"polycom/directory.xml":     "directory",
	"yealink/phonebook.xml":     "YealinkIPPhoneDirectory",
	"cisco-spa/directory.xml":   "CiscoIPPhoneDirectory",
	"cisco-79xx/directory.xml":  "CiscoIPPhoneDirectory",
	"grandstream/phonebook.xml": "AddressBook",
	"snom/settings.xml":         "tbook",
	"fanvil/phonebook.xml":      "FanvilIPPhoneDirectory",
}
