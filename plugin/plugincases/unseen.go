// Package plugincases holds the plugin phones the tests render and serve:
// the unseen cases (devices and raw configs no golden run covers, with the
// lines their files must hold) and the same phones, and those of
// ../shared/provd/golden, described in Asterisk's files (site.go).
package plugincases

// Unseen is a device and raw config no golden run covers, and lines its
// files must hold, derived by hand from the plugins' Python and templates.
type Unseen struct {
	Name, Plugin, Device, Config string
	Custom                       map[string]string // var/templates files
	Want                         map[string][]string
	Absent                       map[string][]string
}

const yealinkBase = `"ip": "192.0.2.10", "http_port": 8667, "http_base_url": "http://192.0.2.10:8667",
	"ntp_enabled": true, "ntp_ip": "192.0.2.10", "sip_proxy_ip": "192.0.2.10", "exten_voicemail": "*98",
	"exten_pickup_call": "*8", "admin_username": "admin", "admin_password": "Adm", "user_username": "user", "user_password": "Usr"`

// UnseenCases are four phones: more lines, function keys of every type,
// time zones of both hemispheres and without DST, a per-device template.
var UnseenCases = []Unseen{
	{
		Name: "yealink T54W, 4 lines, every key type, Sydney, French", Plugin: "wazo-yealink-v86",
		Device: `{"mac": "80:5E:C0:00:00:54", "vendor": "Yealink", "model": "T54W", "version": "96.86.0.45"}`,
		Config: `{` + yealinkBase + `, "timezone": "Australia/Sydney", "locale": "fr_FR", "sip_dtmf_mode": "SIP-INFO",
			"vlan_enabled": true, "vlan_id": 20, "vlan_priority": 5, "vlan_pc_port_id": 30, "syslog_enabled": true, "syslog_ip": "192.0.2.50",
			"sip_subscribe_mwi": true, "X_xivo_phonebook_ip": "192.0.2.10", "X_xivo_user_uuid": "aaaa-1",
			"sip_lines": {
				"1": {"username": "l1", "password": "p1", "display_name": "Zoë <Accueil> & co", "number": "2001", "proxy_ip": "192.0.2.10"},
				"2": {"username": "l2", "password": "p2", "display_name": "Two", "number": "2002", "proxy_ip": "192.0.2.11", "proxy_port": 5070, "backup_proxy_ip": "192.0.2.12", "backup_proxy_port": 5071, "dtmf_mode": "RTP-in-band"},
				"3": {"username": "l3", "password": "p3", "display_name": "Three", "number": "2003", "voicemail": "*97"},
				"4": {"username": "l4", "password": "p4", "display_name": "Four", "number": "2004", "dtmf_mode": "RTP-out-of-band"}
			},
			"funckeys": {
				"5": {"type": "speeddial", "value": "0611223344", "label": "Mobile", "line": 2},
				"6": {"type": "blf", "value": "2010", "label": "Boss"},
				"7": {"type": "park", "value": "701", "label": "P1"},
				"8": {"type": "speeddial", "value": "*3", "label": "Record"},
				"9": {"type": "paging", "value": "1", "label": "?"},
				"28": {"type": "blf", "value": "2099", "label": "Exp"}
			}}`,
		Want: map[string][]string{"80:5e:c0:00:00:54": {
			"static.firmware.url = http://192.0.2.10:8667/firmware/T54W(T57W,T53W,T53,T53C,T54,T57)-96.86.0.45(20211130).rom\n",
			"over_the_air.url.w56h = http://192.0.2.10:8667/firmware/W56H-61.85.0.20.rom\n",
			"over_the_air.url.t54w_dd10k = http://192.0.2.10:8667/firmware/T54W-ddphone-96.85.0.65.rom \n",
			"over_the_air.handset_tip = 0\n\nstatic.auto_provision.pnp_enable = 0\n",
			"local_time.date_format = 1\n",
			"static.network.vlan.internet_port_enable = 1\nstatic.network.vlan.internet_port_vid = 20\nstatic.network.vlan.internet_port_priority = 5\n",
			"static.network.vlan.pc_port_enable = 1\nstatic.network.vlan.pc_port_vid = 30\n",
			"static.syslog.enable = 1\nstatic.syslog.server = 192.0.2.50\n",
			"lang.wui = French\nlang.gui = French\n\nvoice.tone.country = France\n",
			"local_time.time_zone = +10\nlocal_time.summer_time = 1\nlocal_time.dst_time_type = 1\nlocal_time.start_time = 10/1/7/2\nlocal_time.end_time = 4/1/7/3\nlocal_time.offset_time = 60\n",
			"features.action_uri_limit_ip = 192.0.2.10\nfeatures.action_uri_limit_ip = 192.0.2.11\nfeatures.action_uri_limit_ip = 192.0.2.10\n",
			"remote_phonebook.data.1.url = http://192.0.2.10:9498/0.1/directories/lookup/default/yealink?xivo_user_uuid=aaaa-1&term=#SEARCH\n",
			"account.1.label = Zoë <Accueil> & co\n",
			"account.1.dtmf.type = 2\n",
			"account.2.sip_server.1.port = 5070\naccount.2.sip_server.1.transport_type = 0\naccount.2.sip_server.2.address = 192.0.2.12\naccount.2.sip_server.2.port = 5071\n",
			"account.2.dtmf.type = 0\n",
			"account.3.sip_server.1.address = 192.0.2.10\n",
			"account.4.dtmf.type = 1\n",
			"account.1.subscribe_mwi = 1\n\nvoice_mail.number.1 = *98\n",
			"voice_mail.number.3 = *97\n",
			"account.5.enable = 0\n",
			"account.16.enable = 0\n",
			"linekey.4.type = 15\nlinekey.4.line = 4\nlinekey.4.value = 2004\nlinekey.4.label = 2004\n",
			"linekey.5.type = 13\nlinekey.5.line = 2\nlinekey.5.value = 0611223344\nlinekey.5.label = Mobile\n",
			"linekey.6.type = 16\nlinekey.6.line = 1\nlinekey.6.value = 2010\nlinekey.6.label = Boss\nlinekey.6.extension = *8\n",
			"linekey.7.type = 10\nlinekey.7.line = 1\nlinekey.7.value = 701\nlinekey.7.label = P1\n",
			"linekey.8.type = 11\nlinekey.8.line = 1\nlinekey.8.value = *3\nlinekey.8.label = Record\n",
			"linekey.9.type = 0\nlinekey.9.line = %NULL%\n",
			"expansion_module.1.key.1.type = 16\nexpansion_module.1.key.1.line = 1\nexpansion_module.1.key.1.value = 2099\n",
			"expansion_module.3.key.60.label = %NULL%\n",
		}},
	},
	{
		Name: "yealink T33G, TLS, no DST (Kolkata)", Plugin: "wazo-yealink-v86",
		Device: `{"mac": "805ec0000033", "vendor": "Yealink", "model": "T33G", "version": "124.86.0.75", "options": {"switchboard": true}}`,
		Config: `{` + yealinkBase + `, "timezone": "Asia/Kolkata", "sip_transport": "tls",
			"sip_lines": {"1": {"username": "a", "password": "p", "display_name": "A", "number": "3001"},
			              "2": {"username": "autop", "password": "p", "display_name": "B", "number": "autoprov"}}}`,
		Want: map[string][]string{"805ec0000033": {
			"local_time.time_zone = +5\nlocal_time.summer_time = 0\n",
			"account.1.sip_server.1.transport_type = 2\n",
			"account.1.srtp_encryption = 2\n",
			"account.2.srtp_encryption = 0\n",
			"account.4.enable = 0\n",
			"call_waiting.enable = 0\n",
			"linekey.12.type = 0\n",
			"gui_lang.url", // T33G.tpl is base.tpl alone: no model block
		}},
		Absent: map[string][]string{"805ec0000033": {"account.5.", "expansion_module", "gui_lang.url", "action_url.dnd_on"}},
	},
	{
		Name: "yealink T46S with a per-device template", Plugin: "wazo-yealink-v86",
		Device: `{"mac": "80:5e:c0:aa:bb:46", "vendor": "Yealink", "model": "T46S"}`,
		Config: `{` + yealinkBase + `, "timezone": "America/Santiago", "sip_lines": {"1": {"username": "a", "number": "1"}}}`,
		Custom: map[string]string{"805ec0aabb46.cfg.tpl": "{% extends 'base.tpl' %}\n{% block model_specific_parameters -%}\ncustom.model = {{ XX_fw_filename }}\ncustom.line1 = {{ XX_sip_lines['1']['XX_template_id'] }}\n{% endblock %}\n"},
		// Santiago's M9.1.6/24: Saturday 5 September 2026 at 24:00 is
		// Sunday the 6th at 00:00, in the same %W week as the 1st (a
		// Tuesday): 9/1/7/0.
		Want: map[string][]string{"805ec0aabb46": {
			"local_time.time_zone = -4\nlocal_time.summer_time = 1\nlocal_time.dst_time_type = 1\nlocal_time.start_time = 9/1/7/0\nlocal_time.end_time = 4/1/7/0\nlocal_time.offset_time = 60\n",
			"custom.model = T46S(T48S,T42S,T41S)-66.86.0.15.rom\ncustom.line1 = 1\n",
		}},
		Absent: map[string][]string{"805ec0aabb46": {"gui_lang.url"}},
	},
	{
		Name: "digium D50, 4 lines, keys out of order, New York", Plugin: "wazo-digium-1.4.0.0",
		Device: `{"mac": "00-0F-D3-00-00-50", "vendor": "Digium", "model": "D50", "version": "1.4.0.0.57389"}`,
		Config: `{"ip": "192.0.2.10", "http_port": 8667, "timezone": "America/New_York", "locale": "en_US",
			"vlan_enabled": true, "vlan_id": 40, "exten_voicemail": "*98",
			"sip_lines": {"3": {"username": "c", "password": "pc", "display_name": "C", "proxy_ip": "192.0.2.13"},
			              "1": {"username": "a", "password": "pa", "display_name": "A & B", "proxy_ip": "192.0.2.11", "proxy_port": 5080, "backup_proxy_ip": "192.0.2.21"},
			              "2": {"username": "b", "auth_username": "b-auth", "password": "pb", "display_name": "B", "proxy_ip": "192.0.2.12"},
			              "4": {"username": "d", "password": "pd", "display_name": "D", "proxy_ip": "192.0.2.14"}},
			"funckeys": {"10": {"type": "blf", "value": "4010", "label": "Ten"}, "2": {"type": "speeddial", "value": "4002"}, "1": {"type": "park", "value": "700", "label": "Park"}}}`,
		Want: map[string][]string{
			"Digium/000fd3000050.cfg": {
				`<setting id="time_zone" value="America/New_York" />`,
				`<setting id="network_vlan_qos" value="0" />` + "\n    " + `<setting id="network_vlan_id" value="40" />`,
				`<contacts url="http://192.0.2.10:8667/Digium/000fd3000050-contacts.xml" id="internal" />`,
				`<setting id="locale" value="en_US"/>`,
				"index=\"2\"\n        status=\"1\"\n        register=\"1\"\n        account_id=\"c\"",
				"index=\"0\"\n        status=\"1\"\n        register=\"1\"\n        account_id=\"a\"",
				`authname="b-auth"`,
				`line_label="A & B"`,
				`server="192.0.2.11"` + "\n            " + `port="5080"`,
				`server="192.0.2.21"`,
				`voicemail="sip:*98@192.0.2.13"`,
			},
			"Digium/000fd3000050-contacts.xml": {
				"first_name=\"Park\"\n        last_name=\"\"\n        \n        >\n            <numbers>\n                <number dial=\"700\"",
				"first_name=\"4002\"",
				"subscribe_to=\"sip:4010@192.0.2.11\"",
			},
		},
	},
}
