package yealink

import (
	"errors"
	"fmt"
	"strings"

	"github.com/phoneprovd/phoneprovd/family/provd"
)

// locales are the locales the plugin knows: the language, the tone
// country and the handset language (local_time.date_format) it sets.
var locales = map[string][3]string{
	"de_DE": {"German", "Germany", "2"},
	"en_US": {"English", "United States", "0"},
	"es_ES": {"Spanish", "Spain", "6"},
	"fr_FR": {"French", "France", "1"},
	"fr_CA": {"French", "United States", "1"},
	"it_IT": {"Italian", "Italy", "3"},
}

var (
	dtmfTypes  = map[string]string{"RTP-in-band": "0", "RTP-out-of-band": "1", "SIP-INFO": "2"}
	transports = map[string]string{"udp": "0", "tcp": "1", "tls": "2"}
)

// Configure writes <mac>.cfg from <mac>.cfg.tpl, <model>.tpl or base.tpl,
// with the values wazo-yealink's configure computes, in its order:
// XX_fkeys, XX_lang/XX_country/XX_handset_lang, XX_timezone,
// XX_sip_transport, each line's XX_line_no, XX_dtmf_type, voicemail,
// proxy_ip, proxy_port and XX_template_id, XX_sip_lines,
// XX_xivo_phonebook_url, the DND action URLs, XX_server_url,
// XX_fw_filename/XX_handsets_fw and XX_options.
//
// provd's XX_templates, keyed by (proxy, port) tuples that no template
// can name, is not provided; each line's XX_template_id is.
func (p *plugin) Configure(dev provd.Device, raw *provd.Dict) ([]provd.File, error) {
	if !raw.Has("http_port") {
		return nil, errors.New("only support configuration via HTTP (the raw config has no http_port)")
	}
	if dev.MAC == "" {
		return nil, errors.New("MAC address needed for device configuration")
	}
	if dev.Model == "" {
		return nil, ErrNoModel
	}
	ctx := raw.Clone()
	provd.SetDefaults(ctx)
	filename := provd.FormatMAC(dev.MAC, "", false) + ".cfg"

	fkeys, err := p.funcKeys(dev.Model, ctx)
	if err != nil {
		return nil, err
	}
	ctx.Set("XX_fkeys", fkeys)
	if l, ok := locales[ctx.String("locale")]; ok && isString(ctx, "locale") {
		ctx.Set("XX_lang", l[0])
		ctx.Set("XX_country", l[1])
		ctx.Set("XX_handset_lang", l[2])
	}
	if tz, ok := ctx.Get("timezone"); ok {
		if name, isStr := tz.(string); isStr {
			if info, err := p.opts.TZ.Info(name, p.opts.Year()); err == nil {
				ctx.Set("XX_timezone", FormatTimezone(info))
			}
		}
	}
	transport := "0"
	if t, ok := transports[ctx.String("sip_transport")]; ok && isString(ctx, "sip_transport") {
		transport = t
	}
	ctx.Set("XX_sip_transport", transport)
	if err := updateLines(ctx); err != nil {
		return nil, err
	}
	ctx.Set("XX_sip_lines", p.xxLines(dev.Model, ctx))
	provd.AddPhonebookURL(ctx, "yealink", "lookup", "", "term=#SEARCH")
	provd.AddPhonedUserServiceURL(ctx, "yealink", "dnd")
	if err := provd.AddServerURL(ctx); err != nil {
		return nil, err
	}
	if fw, ok := p.v.models[dev.Model]; ok {
		ctx.Set("XX_fw_filename", fw.file)
		if fw.handsets {
			hs := provd.NewDict()
			for _, h := range p.v.handsets {
				hs.Set(h.name, h.file)
			}
			ctx.Set("XX_handsets_fw", hs)
		}
	}
	options := dev.Options
	if options == nil {
		options = provd.NewDict()
	}
	ctx.Set("XX_options", options.Clone())

	return []provd.File{{
		Name:      filename,
		Templates: []string{filename + ".tpl", dev.Model + ".tpl", "base.tpl"},
		Context:   ctx,
	}}, nil
}

func isString(d *provd.Dict, key string) bool {
	v, _ := d.Get(key)
	_, ok := v.(string)
	return ok
}

// lines returns sip_lines, each line checked to be an object.
func lines(raw *provd.Dict) (*provd.Dict, error) {
	v, _ := raw.Get("sip_lines")
	l, ok := v.(*provd.Dict)
	if !ok {
		return nil, errors.New("sip_lines is not an object")
	}
	for _, k := range l.Keys() {
		if l.Dict(k) == nil {
			return nil, fmt.Errorf("sip_lines: line %s is not an object", provd.Str(k))
		}
	}
	return l, nil
}

// updateLines is the plugin's _add_sip_templates and _update_sip_lines.
func updateLines(raw *provd.Dict) error {
	sipLines, err := lines(raw)
	if err != nil {
		return err
	}
	// Server templates: one per distinct (proxy, port), numbered by the
	// position of the first line that uses it.
	templates := map[[2]any]int{}
	for i, k := range sipLines.Keys() {
		line := sipLines.Dict(k)
		ip := or(line, raw, "proxy_ip", "sip_proxy_ip")
		port := or(line, raw, "proxy_port", "sip_proxy_port")
		key := [2]any{pyKey(ip), pyKey(port)}
		if _, ok := templates[key]; !ok {
			templates[key] = i + 1
		}
	}
	for _, k := range sipLines.Keys() {
		line := sipLines.Dict(k)
		n, err := provd.PyInt(provd.Str(k))
		if err != nil {
			return fmt.Errorf("sip_lines: line %q: %w", provd.Str(k), err)
		}
		line.Set("XX_line_no", int64(n))
		mode := or(line, raw, "dtmf_mode", "sip_dtmf_mode")
		if s, ok := mode.(string); ok {
			if t, ok := dtmfTypes[s]; ok {
				line.Set("XX_dtmf_type", t)
			}
		}
		if v, ok := raw.Get("exten_voicemail"); ok && !line.Has("voicemail") {
			line.Set("voicemail", v)
		}
		if !line.Has("proxy_ip") {
			v, ok := raw.Get("sip_proxy_ip")
			if !ok {
				return fmt.Errorf("sip_lines: line %s has no proxy_ip and the raw config no sip_proxy_ip", provd.Str(k))
			}
			line.Set("proxy_ip", v)
		}
		if v, ok := raw.Get("sip_proxy_port"); ok && !line.Has("proxy_port") {
			line.Set("proxy_port", v)
		}
		ip, _ := line.Get("proxy_ip")
		port, ok := line.Get("proxy_port")
		if !ok {
			port = int64(5060)
		}
		id := templates[[2]any{pyKey(ip), pyKey(port)}]
		if id == 0 {
			id = 1
		}
		line.Set("XX_template_id", int64(id))
	}
	return nil
}

// or is Python's line.get(a) or raw.get(b).
func or(line, raw *provd.Dict, a, b string) any {
	if v, _ := line.Get(a); provd.Truthy(v) {
		return v
	}
	v, _ := raw.Get(b)
	return v
}

// pyKey makes values that Python holds equal (and hashes alike) the same
// map key: True and 1, 2.0 and 2.
func pyKey(v any) any {
	switch v := v.(type) {
	case bool:
		if v {
			return int64(1)
		}
		return int64(0)
	case float64:
		if v == float64(int64(v)) {
			return int64(v)
		}
	case *provd.Dict, []any:
		return provd.Repr(v) // unhashable in Python; never equal to a real key here
	}
	return v
}

// xxLines is _add_xx_sip_lines: for a model with a known number of
// accounts, lines "1" to that number (None where the config has none);
// otherwise the config's lines as they are.
func (p *plugin) xxLines(model string, raw *provd.Dict) *provd.Dict {
	sipLines := raw.Dict("sip_lines")
	out := provd.NewDict()
	n := p.v.accounts[model]
	if n == 0 {
		for _, k := range sipLines.Keys() {
			v, _ := sipLines.Get(k)
			out.Set(k, v)
		}
		return out
	}
	for i := 1; i <= n; i++ {
		k := fmt.Sprint(i)
		v, _ := sipLines.Get(k)
		out.Set(k, v)
	}
	return out
}

// funcKeys is the plugin's function-key generator: every line key, then
// every expansion-module key of the model, each configured from the
// function key of the same number, else as the line of that number, else
// empty.
func (p *plugin) funcKeys(model string, raw *provd.Dict) (string, error) {
	keys := raw.Dict("funckeys")
	sipLines := raw.Dict("sip_lines")
	pickup, _ := raw.Get("exten_pickup_call")
	var b strings.Builder
	n := 0
	emit := func(prefix string) error {
		n++
		num := fmt.Sprint(n)
		fk, isKey := keys.Get(num)
		if !isKey || fk == nil {
			if sipLines.Has(num) {
				number, ok := provd.Get(sipLines, num, "number")
				if !ok {
					return fmt.Errorf("sip_lines: line %s has no number", num)
				}
				fmt.Fprintf(&b, "%s.type = 15\n%s.line = %s\n%s.value = %s\n%s.label = %s\n\n",
					prefix, prefix, num, prefix, provd.Str(number), prefix, provd.Str(number))
				return nil
			}
			fmt.Fprintf(&b, "%s.type = 0\n%s.line = %%NULL%%\n%s.value = %%NULL%%\n%s.label = %%NULL%%\n\n", prefix, prefix, prefix, prefix)
			return nil
		}
		key, ok := fk.(*provd.Dict)
		if !ok {
			return fmt.Errorf("funckeys: key %s is not an object", num)
		}
		typ, ok := key.Get("type")
		if !ok {
			return fmt.Errorf("funckeys: key %s has no type", num)
		}
		value, hasValue := key.Get("value")
		line, ok := key.Get("line")
		if !ok {
			line = int64(1)
		}
		label, ok := key.Get("label")
		if !ok {
			label = ""
		}
		code := ""
		switch typ {
		case "speeddial":
			code = "13"
			if value == "*3" {
				code = "11" // call recording
			}
		case "park":
			code = "10"
		case "blf":
			code = "16"
			if model == "T32G" || model == "T38G" {
				if l, ok := line.(int64); ok {
					line = l - 1
				}
			}
		default:
			fmt.Fprintf(&b, "%s.type = 0\n%s.line = %%NULL%%\n%s.value = %%NULL%%\n%s.label = %%NULL%%\n\n", prefix, prefix, prefix, prefix)
			return nil
		}
		if !hasValue {
			return fmt.Errorf("funckeys: key %s has no value", num)
		}
		fmt.Fprintf(&b, "%s.type = %s\n%s.line = %s\n%s.value = %s\n%s.label = %s\n",
			prefix, code, prefix, provd.Str(line), prefix, provd.Str(value), prefix, provd.Str(label))
		if code == "16" && provd.Truthy(pickup) {
			fmt.Fprintf(&b, "%s.extension = %s\n", prefix, provd.Str(pickup))
		}
		b.WriteByte('\n')
		return nil
	}
	for i := 1; i <= p.v.lineKeys[model]; i++ {
		if err := emit(fmt.Sprintf("linekey.%d", i)); err != nil {
			return "", err
		}
	}
	perModule, chain := expansionModule(model)
	for m := 1; m <= chain; m++ {
		for k := 1; k <= perModule; k++ {
			if err := emit(fmt.Sprintf("expansion_module.%d.key.%d", m, k)); err != nil {
				return "", err
			}
		}
	}
	// Python joins the lines with "\n" and each key ends with an empty
	// line: the result ends with exactly one "\n" after the last key's
	// lines, none when there is no key.
	s := b.String()
	if s == "" {
		return "", nil
	}
	return s[:len(s)-1], nil
}

// FormatTimezone is the plugin's local_time lines for a time zone: the
// standard offset in whole hours (floored, kept within -11..+12), whether
// there is DST, and its start and end as month/week/weekday/hour.
func FormatTimezone(info provd.TimezoneInfo) string {
	hours := min(max(provd.FloorDiv(info.UTCOffset, 3600), -11), 12)
	lines := []string{fmt.Sprintf("local_time.time_zone = %+d", hours)}
	if info.DST == nil {
		lines = append(lines, "local_time.summer_time = 0")
		return strings.Join(lines, "\n")
	}
	lines = append(lines, "local_time.summer_time = 1")
	if strings.HasPrefix(info.DST.Start.Day, "D") {
		lines = append(lines, "local_time.dst_time_type = 0")
	} else {
		lines = append(lines, "local_time.dst_time_type = 1")
	}
	lines = append(lines,
		"local_time.start_time = "+formatChange(info.DST.Start),
		"local_time.end_time = "+formatChange(info.DST.End),
		fmt.Sprintf("local_time.offset_time = %d", provd.FloorDiv(info.DST.Save, 60)))
	return strings.Join(lines, "\n")
}

// formatChange writes a transition as the plugin does: MM/DD/HH for a
// fixed day ("D<n>"), month/week/weekday/hour for "W<week>.<weekday>".
func formatChange(c provd.DSTChange) string {
	hours := provd.FloorDiv(c.Time, 3600)
	if d, ok := strings.CutPrefix(c.Day, "D"); ok {
		n, _ := provd.PyInt(d)
		return fmt.Sprintf("%02d/%02d/%02d", c.Month, n, hours)
	}
	week, weekday, _ := strings.Cut(strings.TrimPrefix(c.Day, "W"), ".")
	return fmt.Sprintf("%d/%s/%s/%d", c.Month, week, weekday, hours)
}
