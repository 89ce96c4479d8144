package console

import (
	"net/http"
	"regexp"

	"github.com/phoneprovd/phoneprovd/phoneprov/reload"
)

// configPage is what the configuration template shows.
type configPage struct {
	Status   *reload.Status // nil without a reload manager
	Refused  []problem      // the refused edit's problems
	Problems []problem      // the served configuration's
	LastGood []problem      // why the last good configuration is served
	Profiles []profileView
}

// problem is a diagnostic with its place split out.
type problem struct {
	Severity string
	File     string
	Line     string
	Message  string
}

// profileView is one profile of the snapshot.
type profileView struct {
	Name    string
	Source  string
	Static  int
	Dynamic []fileLine
	Phones  int
}

type fileLine struct{ URI, Template string }

// placed is a diagnostic's "file:line: message" form.
var placed = regexp.MustCompile(`^(\S[^:\n]*):([0-9]+): (?s)(.*)$`)

func (c *Console) splitProblem(p reload.ProblemInfo) problem {
	p.Message = c.maskText(p.Message)
	if m := placed.FindStringSubmatch(p.Message); m != nil {
		return problem{Severity: p.Severity, File: m[1], Line: m[2], Message: m[3]}
	}
	return problem{Severity: p.Severity, Message: p.Message}
}

func (c *Console) splitProblems(list []reload.ProblemInfo) []problem {
	out := make([]problem, len(list))
	for i, p := range list {
		out[i] = c.splitProblem(p)
	}
	return out
}

func (c *Console) serveConfig(w http.ResponseWriter, r *http.Request) {
	page := &configPage{}
	if c.cfg.Reload != nil {
		st := c.cfg.Reload()
		page.Status = &st
		if st.LastError != nil {
			e := *st.LastError
			e.Message = c.maskText(e.Message)
			st.LastError = &e
			page.Refused = c.splitProblems(st.LastError.Problems)
		}
		if st.ServingLastGood != nil {
			lg := *st.ServingLastGood
			lg.Why = c.maskText(lg.Why)
			st.ServingLastGood = &lg
			page.LastGood = c.splitProblems(st.ServingLastGood.Problems)
		}
		page.Problems = c.splitProblems(st.Problems)
	}
	if snap := c.cfg.Snapshot(); snap != nil {
		count := make(map[string]int)
		for _, p := range snap.Phones() {
			count[p.Profile.Name]++
		}
		for _, p := range snap.Profiles {
			v := profileView{Name: p.Name, Source: p.Source.String(), Static: len(p.Static), Phones: count[p.Name]}
			for _, f := range p.Dynamic {
				v.Dynamic = append(v.Dynamic, fileLine{f.Format, f.Template})
			}
			page.Profiles = append(page.Profiles, v)
		}
	}
	c.render(w, r, http.StatusOK, "config", "Configuration", "config", page)
}
