package yealink

// v86 is what wazo-yealink-v86's entry.py (MODEL_INFO, HANDSETS_FW) and
// common.py (_NB_LINEKEY, _NB_SIP_ACCOUNTS) know about each model.
var v86 = variant{
	name: "v86",
	models: map[string]firmware{
		"CP920": {"78.86.0.15", "CP920-78.86.0.15.rom", false},
		"CP925": {"148.86.0.5", "CP925-148.86.0.5.rom", false},
		"CP965": {"143.86.0.10", "CP925-143.86.0.10.rom", false},
		"T27G":  {"69.86.0.15", "T27G-69.86.0.15.rom", false},
		"T30":   {"124.86.0.75", t31Firmware, false},
		"T30P":  {"124.86.0.75", t31Firmware, false},
		"T31":   {"124.86.0.75", t31Firmware, false},
		"T31P":  {"124.86.0.75", t31Firmware, false},
		"T31G":  {"124.86.0.75", t31Firmware, false},
		"T31W":  {"124.86.0.75", "", true},
		"T33":   {"124.86.0.75", t31Firmware, false},
		"T33P":  {"124.86.0.75", t31Firmware, false},
		"T33G":  {"124.86.0.75", t31Firmware, false},
		"T34W":  {"124.86.0.75", "", true},
		"T41S":  {"66.86.0.15", t4sFirmware, false},
		"T42S":  {"66.86.0.15", t4sFirmware, false},
		"T46S":  {"66.86.0.15", t4sFirmware, false},
		"T48S":  {"66.86.0.15", t4sFirmware, false},
		"T41U":  {"108.86.0.90", t4uFirmware, false},
		"T42U":  {"108.86.0.90", t4uFirmware, false},
		"T43U":  {"108.86.0.90", t4uFirmware, false},
		"T44U":  {"108.86.0.90", t4uFirmware, false},
		"T44W":  {"108.86.0.90", t4uFirmware, false},
		"T46U":  {"108.86.0.90", t4uFirmware, false},
		"T48U":  {"108.86.0.90", t4uFirmware, false},
		"T53":   {"96.86.0.45", t5xFirmware, false},
		"T53C":  {"96.86.0.45", t5xFirmware, false},
		"T53W":  {"96.86.0.45", t5xFirmware, true},
		"T54W":  {"96.86.0.45", t5xFirmware, true},
		"T57":   {"96.86.0.45", t5xFirmware, false},
		"T57W":  {"96.86.0.45", t5xFirmware, true},
		"T56":   {"58.86.0.20", "T58V(T56A)-58.86.0.20.rom", false},
		"T58":   {"58.86.0.20", "T58V(T56A)-58.86.0.20.rom", false},
		"T58W":  {"150.86.0.11", "T58W-150.86.0.11.rom", true},
		"AX83H": {"180.86.0.5", "AX83-180.86.0.5.rom", false},
	},
	lineKeys: map[string]int{
		"CP920": 0, "CP925": 0, "T27G": 21, "T30": 0, "T30P": 0, "T31": 2, "T31G": 2,
		"T31P": 2, "T31W": 2, "T33G": 12, "T33P": 12, "T34W": 12, "T41S": 15, "T41U": 15,
		"T42S": 15, "T42U": 15, "T43U": 15, "T44W": 24, "T44U": 24, "T46S": 27, "T46U": 27,
		"T48S": 29, "T48U": 29, "T53": 21, "T53W": 21, "T54S": 27, "T54W": 27, "T57W": 29,
		"T58": 27, "T58W": 27, "AX83H": 0,
	},
	accounts: map[string]int{
		"CP920": 1, "T27G": 6, "T30": 1, "T30P": 1, "T31": 2, "T31G": 2, "T31P": 2,
		"T33G": 4, "T33P": 4, "T34W": 4, "T41S": 6, "T41U": 6, "T42S": 12, "T42U": 12,
		"T43U": 12, "T44W": 12, "T44U": 12, "T46S": 16, "T46U": 16, "T48S": 16, "T48U": 16,
		"T53": 12, "T53W": 12, "T54S": 16, "T54W": 16, "T57W": 16, "T58": 16, "T58W": 16,
		"AX83H": 4,
	},
	handsets: []handset{
		{"w53h", "W53H-88.85.0.20.rom"},
		{"w56h", "W56H-61.85.0.20.rom"},
		{"w59r", "W59R-115.85.0.20.rom"},
		{"cp930w", "CP930W-87.85.0.20.rom"},
		{"t41s_dd10k", "T4S-ddphone-66.85.0.56.rom"},
		{"t54w_dd10k", "T54W-ddphone-96.85.0.65.rom "}, // the trailing space is the plugin's
	},
}

const (
	t31Firmware = "T31(T30,T30P,T31G,T31P,T33P,T33G)-124.86.0.75.rom"
	t4sFirmware = "T46S(T48S,T42S,T41S)-66.86.0.15.rom"
	t4uFirmware = "T46U(T43U,T46U,T41U,T48U,T42U,T44U,T44W)-108.86.0.90.rom"
	t5xFirmware = "T54W(T57W,T53W,T53,T53C,T54,T57)-96.86.0.45(20211130).rom"
)

// expansionModule is the expansion module a v86 model takes: the number
// of keys of one module and how many can be chained.
func expansionModule(model string) (keys, chain int) {
	switch model {
	case "T27G", "T46S", "T48S":
		return 40, 6 // EXP40
	case "T43U", "T46U", "T48U":
		return 60, 3 // EXP43
	}
	if len(model) >= 2 && model[:2] == "T5" {
		return 60, 3 // EXP50
	}
	return 0, 0
}
