package console

import (
	"net/http"

	"github.com/phoneprovd/phoneprovd/phoneprov/security"
)

// securityPage is what the security template shows.
type securityPage struct {
	Status security.Status
	Access string
}

func (c *Console) serveSecurity(w http.ResponseWriter, r *http.Request) {
	if c.cfg.Security == nil {
		c.fail(w, r, http.StatusNotFound, "The security guard is not running.")
		return
	}
	c.render(w, r, http.StatusOK, "security", "Security", "security", &securityPage{Status: c.cfg.Security.Status(), Access: c.cfg.Access})
}

// postUnban lifts a ban (source = an address or prefix) or all of them.
func (c *Console) postUnban(w http.ResponseWriter, r *http.Request) {
	if !c.checkForm(w, r) {
		return
	}
	if c.cfg.Security == nil {
		c.fail(w, r, http.StatusNotFound, "The security guard is not running.")
		return
	}
	which := r.PostFormValue("source")
	if which == "" {
		c.fail(w, r, http.StatusBadRequest, "Which source to unban? (an address, a prefix or all)")
		return
	}
	out, err := c.cfg.Security.Unban(which)
	if err != nil {
		c.fail(w, r, http.StatusBadRequest, err.Error())
		return
	}
	c.log.Info("unban requested from the console", "source", which, "unbanned", len(out), "remote", r.RemoteAddr)
	if len(out) == 0 {
		done(w, r, "/security", "nothing", 0)
		return
	}
	done(w, r, "/security", "unbanned", len(out))
}
