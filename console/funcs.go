package console

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// funcs are the templates' helpers.
func (c *Console) funcs() template.FuncMap {
	return template.FuncMap{
		"ago":    c.ago,
		"when":   when,
		"size":   size,
		"phone":  phoneHref,
		"dash":   dash,
		"plural": plural,
		"sub1":   func(n int) int { return n - 1 },
	}
}

// ago says how long ago t was, briefly: "12 s ago", "3 min ago", "5 h
// ago", "2 d ago"; "never" for the zero time.
func (c *Console) ago(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := c.now().Sub(t)
	switch {
	case d < 0:
		return "just now"
	case d < time.Minute:
		return fmt.Sprintf("%d s ago", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h ago", int(d.Hours()))
	}
	return fmt.Sprintf("%d d ago", int(d.Hours()/24))
}

// when is t to the second, in the server's zone.
func when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format("2006-01-02 15:04:05 MST")
}

// size is a byte count in B, KiB or MiB.
func size(n int64) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d B", n)
	case n < 1024*1024:
		return fmt.Sprintf("%.1f KiB", float64(n)/1024)
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1024*1024))
}

// phoneHref is the path of a phone's page.
func phoneHref(mac string) string { return "/phones/" + url.PathEscape(mac) }

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// percent is n of of in percent, at least 1 when n > 0 so that a bar shows.
func percent(n, of int) int {
	if of <= 0 || n <= 0 {
		return 0
	}
	return max(1, n*100/of)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// Flash messages: after an action the browser is sent back to the page
// with ?done=KEY (and a count); the text is chosen here, never taken from
// the URL.
var flashes = map[string]string{
	"queued":   "Re-sync queued: the NOTIFY goes out at the configured pace; the state below follows it.",
	"skipped":  "Not re-synced: the phone has no endpoint to notify, or its profile has resync = no.",
	"unknown":  "Not re-synced: the phone is not in the configuration being served.",
	"unbanned": "Unbanned %d source(s).",
	"nothing":  "Nothing was banned there.",
	"paused":   "Rollout paused.",
	"resumed":  "Rollout resumed.",
}

func flashText(r *http.Request) string {
	q := r.URL.Query()
	text, ok := flashes[q.Get("done")]
	if !ok {
		return ""
	}
	if strings.Contains(text, "%d") {
		n, _ := strconv.Atoi(q.Get("n"))
		return fmt.Sprintf(text, n)
	}
	return text
}

// done redirects after a successful action (POST, then GET: reloading the
// page does not repeat it).
func done(w http.ResponseWriter, r *http.Request, to, key string, n int) {
	u := to + "?done=" + key
	if n > 0 {
		u += "&n=" + strconv.Itoa(n)
	}
	http.Redirect(w, r, u, http.StatusSeeOther)
}
