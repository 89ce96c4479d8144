package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/phoneprovd/phoneprovd/phoneprov/inventory"
)

// runPhones prints the running daemon's device inventory as a table.
func runPhones(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "phones", "[-config-dir DIR] [-admin ADDR] [-vendor V] [-model M] [-unseen] [-dhcp-only] [-json]")
	dial := adminFlags(fs)
	vendor := fs.String("vendor", "", "only this vendor (e.g. Yealink)")
	model := fs.String("model", "", "only models containing this")
	unseen := fs.Bool("unseen", false, "only configured phones never seen")
	dhcpOnly := fs.Bool("dhcp-only", false, "only devices that leased an address by DHCP but never asked for a file")
	asJSON := fs.Bool("json", false, "print the JSON the admin API returns")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	admin, err := dial()
	if err != nil {
		return fail(e, err)
	}
	q := url.Values{}
	if *vendor != "" {
		q.Set("vendor", *vendor)
	}
	if *model != "" {
		q.Set("model", *model)
	}
	if *unseen {
		q.Set("unseen", "1")
	}
	if *dhcpOnly {
		q.Set("dhcp_only", "1")
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	raw, err := admin.call(ctx, http.MethodGet, "/status/phones?"+q.Encode(), nil)
	if err != nil {
		return fail(e, err)
	}
	if *asJSON {
		e.stdout.Write(raw)
		return 0
	}
	var list struct {
		Phones []inventory.Entry `json:"phones"`
	}
	if err := json.Unmarshal(raw, &list); err != nil {
		return fail(e, err)
	}
	writePhones(e.stdout, list.Phones)
	return 0
}

// writePhones prints entries as an aligned table.
func writePhones(w io.Writer, phones []inventory.Entry) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "MAC\tPROFILE\tLINES\tVENDOR\tMODEL\tFIRMWARE\tLAST IP\tLAST SEEN\tRESYNC")
	dash := func(s string) string {
		if s == "" {
			return "-"
		}
		return s
	}
	for _, p := range phones {
		var lines []string
		for _, l := range p.Lines {
			lines = append(lines, l.Username)
		}
		profile := p.Profile
		switch {
		case !p.Configured:
			profile = "(unknown)"
		case p.Plugin != "" && p.PluginPending:
			profile += " (" + p.Plugin + ", not identified yet)"
		case p.Plugin != "":
			profile += " (" + p.Plugin + ")"
		case p.PluginPending:
			profile += " (plugin: not identified yet)"
		}
		vendor, model, fw, ip, seen := "", "", "", "", "never"
		if p.Device != nil {
			vendor, model, fw, ip = p.Device.Vendor, p.Device.Model, p.Device.Firmware, p.Device.LastIP
			seen = p.Device.LastSeen.Local().Format("2006-01-02 15:04:05")
		}
		if p.DHCPOnly && p.Device.DHCP != nil {
			ip = p.Device.DHCP.IP
			seen = "leased " + p.Device.DHCP.At.Local().Format("2006-01-02 15:04:05") + ", never fetched"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.MAC, dash(profile), dash(strings.Join(lines, ",")),
			dash(vendor), dash(model), dash(fw), dash(ip), seen, dash(p.Resync))
	}
	tw.Flush()
	for _, p := range phones {
		if p.DHCPOnly && p.Hint != "" {
			fmt.Fprintf(w, "\n%s %s", p.MAC, p.Hint)
		}
	}
	for _, p := range phones {
		if p.DHCPOnly {
			fmt.Fprintln(w)
			break
		}
	}
}
