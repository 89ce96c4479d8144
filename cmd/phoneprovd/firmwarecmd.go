package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/phoneprovd/phoneprovd/firmware/rollout"
)

const firmwareUsage = `rollout [-waves 1%,10%,50%,100%] [-select KEY=VALUE]... [-deadline 30m] [-max-failures 5%] PLUGIN PACKAGE
       phoneprovd firmware status [-json] [ID]
       phoneprovd firmware pause|resume|abort ID
(each takes -admin ADDR and -config-dir DIR)`

// stringList is a flag that may be given several times.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, " ") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// runFirmware drives the running daemon's firmware rollouts over its
// admin API, as resync does.
func runFirmware(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "firmware", firmwareUsage)
	dial := adminFlags(fs)
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fs.Usage()
		return 2
	}
	sub := args[0]
	var req rollout.Request
	var selects stringList
	asJSON := false
	switch sub {
	case "rollout":
		fs.StringVar(&req.Waves, "waves", rollout.DefaultWaves, "cumulative waves: percentages of the phones, or numbers of phones")
		fs.Var(&selects, "select", "only the phones with KEY=VALUE[,VALUE...]: model, mac, profile, firmware (globs), or file=PATH (a file of MACs); repeat to narrow")
		fs.StringVar(&req.Deadline, "deadline", rollout.DefaultDeadline.String(), "how long each step of a phone may take")
		fs.StringVar(&req.MaxFailures, "max-failures", rollout.DefaultMaxFailures, "the failed phones of a wave that halt the rollout: a number, or a percentage of the wave (at least 1)")
	case "status":
		fs.BoolVar(&asJSON, "json", false, "print the API's JSON")
	case "pause", "resume", "abort":
	default:
		fmt.Fprintf(e.stderr, "phoneprovd: firmware: unknown subcommand %q\n", sub)
		fs.Usage()
		return 2
	}
	rest, err := parseInterleaved(fs, args[1:])
	if err != nil {
		return 2
	}
	switch {
	case sub == "rollout" && len(rest) != 2,
		sub == "status" && len(rest) > 1,
		(sub == "pause" || sub == "resume" || sub == "abort") && len(rest) != 1:
		fs.Usage()
		return 2
	}
	admin, err := dial()
	if err != nil {
		return fail(e, err)
	}
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	c := firmwareClient{admin: admin, ctx: ctx}
	switch sub {
	case "rollout":
		req.Plugin, req.Package = rest[0], rest[1]
		for _, s := range selects {
			if file, ok := strings.CutPrefix(s, "file="); ok {
				data, err := os.ReadFile(file)
				if err != nil {
					return fail(e, err)
				}
				macs, err := rollout.ReadMACs(file, data)
				if err != nil {
					return fail(e, err)
				}
				req.MACs = append(req.MACs, macs...)
				continue
			}
			req.Select = append(req.Select, s)
		}
		var s rollout.Summary
		if err := c.do(http.MethodPost, "/firmware/rollouts", req, &s); err != nil {
			return fail(e, err)
		}
		var sizes []string
		for _, w := range s.Waves {
			sizes = append(sizes, fmt.Sprint(w.Size))
		}
		fmt.Fprintf(e.stdout, "rollout %s: %d phones of %s (%s) to %s in %d waves (%s phones); %d already run it\n",
			s.ID, s.Phones, s.Plugin, strings.Join(s.Models, ", "), s.Version, len(s.Waves), strings.Join(sizes, ", "), s.Current)
		fmt.Fprintf(e.stdout, "%s: %s\nfollow it with: phoneprovd firmware status %s\n", s.ID, s.Message, s.ID)
	case "status":
		if len(rest) == 1 {
			var d rollout.Detail
			if err := c.do(http.MethodGet, "/firmware/rollouts/"+rest[0], nil, &d); err != nil {
				return fail(e, err)
			}
			if asJSON {
				return printJSON(e, d)
			}
			printDetail(e.stdout, d)
			return 0
		}
		var l struct {
			Rollouts []rollout.Summary `json:"rollouts"`
		}
		if err := c.do(http.MethodGet, "/firmware/rollouts", nil, &l); err != nil {
			return fail(e, err)
		}
		if asJSON {
			return printJSON(e, l)
		}
		printRollouts(e.stdout, l.Rollouts)
	default:
		var s rollout.Summary
		if err := c.do(http.MethodPost, "/firmware/rollouts/"+rest[0]+"/"+sub, nil, &s); err != nil {
			return fail(e, err)
		}
		fmt.Fprintf(e.stdout, "%s: %s: %s\n", s.ID, s.State, s.Message)
	}
	return 0
}

// firmwareClient calls the admin API.
type firmwareClient struct {
	admin *adminClient
	ctx   context.Context
}

// do sends body (JSON, unless nil) and decodes the answer into out.
func (c firmwareClient) do(method, path string, body, out any) error {
	raw, err := c.admin.call(c.ctx, method, path, body)
	if st := adminStatus(err); (st == http.StatusNotFound || st == http.StatusMethodNotAllowed) && !strings.Contains(string(raw), `"error"`) {
		return fmt.Errorf("%w: this phoneprovd has no firmware rollouts (is it an older version?)", err)
	}
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, out)
}

func printJSON(e *env, v any) int {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fail(e, err)
	}
	return 0
}

// printRollouts prints the list of rollouts.
func printRollouts(w io.Writer, list []rollout.Summary) {
	if len(list) == 0 {
		fmt.Fprintln(w, "no rollout")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATE\tWAVE\tPHONES\tUPGRADED\tFAILED\tWAITING\tPLUGIN\tPACKAGE\tVERSION")
	for _, s := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%d\t%s\t%s\t%s\n", s.ID, s.State, waveOf(s), s.Phones, s.Upgraded+s.Current, s.Failed,
			s.Waiting+s.Upgrading, s.Plugin, s.Package, s.Version)
	}
	tw.Flush()
	for _, s := range list {
		if rollout.Pending == s.State || rollout.Running == s.State || rollout.Paused == s.State || rollout.Halted == s.State {
			fmt.Fprintf(w, "%s: %s\n", s.ID, s.Message)
		}
	}
}

func waveOf(s rollout.Summary) string {
	if s.Wave < 0 {
		return fmt.Sprintf("-/%d", len(s.Waves))
	}
	return fmt.Sprintf("%d/%d", s.Wave+1, len(s.Waves))
}

// printDetail prints one rollout: where it is, its waves, the phones that
// failed and why, and the phones under way.
func printDetail(w io.Writer, d rollout.Detail) {
	fmt.Fprintf(w, "rollout %s: %s, wave %s\n", d.ID, d.State, waveOf(d.Summary))
	fmt.Fprintf(w, "  %s %s → %s (%s), firmware %s\n", d.Plugin, d.Package, d.Version, strings.Join(d.Models, ", "), d.File)
	fmt.Fprintf(w, "  %d phones: %d upgraded, %d failed, %d under way, %d waiting, %d already current, %d reverted\n",
		d.Phones, d.Upgraded, d.Failed, d.Upgrading, d.Waiting, d.Current, d.Reverted)
	fmt.Fprintf(w, "  waves %s, deadline %s per step, halts at %s failures\n", d.Settings.Waves, d.Settings.Deadline, d.Settings.MaxFailures)
	fmt.Fprintf(w, "  %s\n", d.Message)
	for i, wave := range d.Waves {
		state := "not started"
		switch {
		case wave.Result != "":
			state = wave.Result
		case !wave.Started.IsZero():
			state = "under way since " + wave.Started.Format(time.DateTime)
		}
		fmt.Fprintf(w, "  wave %d: %d phones (halts at %d failed): %s\n", i+1, wave.Size, wave.Threshold, state)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	header := false
	for _, p := range d.PhoneList {
		if p.Status != rollout.Failed && p.Status != rollout.Upgrading {
			continue
		}
		if !header {
			fmt.Fprintln(tw, "MAC\tMODEL\tWAVE\tSTATUS\tSTEP\tREPORTS\tWHY")
			header = true
		}
		step := p.Step
		if p.Status == rollout.Upgrading {
			step = nextStep(p)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\n", p.MAC, p.Model, p.Wave+1, p.Status, step, noneIfEmpty(p.Reported), p.Reason)
	}
	tw.Flush()
}

// nextStep is the step a phone under way waits for.
func nextStep(p rollout.Phone) string {
	switch {
	case p.Config.IsZero():
		return "waits: " + rollout.StepConfig
	case p.Firmware.IsZero():
		return "waits: " + rollout.StepFirmware
	case p.Registered.Before(p.Firmware):
		return "waits: " + rollout.StepRegister
	}
	return "waits: " + rollout.StepVersion
}

var _ flag.Value = (*stringList)(nil)
