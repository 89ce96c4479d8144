package console

import (
	"net/http"
	"slices"
	"strings"

	"github.com/phoneprovd/phoneprovd/family"
)

// The parts that exist only when their feature is present: firmware
// rollouts and the devices DHCP saw.

// rolloutView is a rollout with its progress.
type rolloutView struct {
	Rollout
	Percent int // done of phones
	Left    int
}

func (c *Console) serveFirmware(w http.ResponseWriter, r *http.Request) {
	if c.cfg.Firmware == nil {
		c.fail(w, r, http.StatusNotFound, "Firmware rollouts are not available in this phoneprovd.")
		return
	}
	var views []rolloutView
	for _, ro := range c.cfg.Firmware.Rollouts() {
		views = append(views, rolloutView{Rollout: ro, Percent: percent(ro.Done, ro.Phones), Left: max(0, ro.Phones-ro.Done-ro.Failed)})
	}
	c.render(w, r, http.StatusOK, "firmware", "Firmware", "firmware", views)
}

// postRollout pauses or resumes a rollout.
func (c *Console) postRollout(w http.ResponseWriter, r *http.Request) {
	if !c.checkForm(w, r) {
		return
	}
	if c.cfg.Firmware == nil {
		c.fail(w, r, http.StatusNotFound, "Firmware rollouts are not available in this phoneprovd.")
		return
	}
	id, action := r.PathValue("id"), r.PathValue("action")
	var err error
	key := ""
	switch action {
	case "pause":
		err, key = c.cfg.Firmware.Pause(id), "paused"
	case "resume":
		err, key = c.cfg.Firmware.Resume(id), "resumed"
	default:
		c.fail(w, r, http.StatusNotFound, "A rollout can be paused or resumed.")
		return
	}
	if err != nil {
		c.fail(w, r, http.StatusBadRequest, err.Error())
		return
	}
	c.log.Info("firmware rollout "+key+" from the console", "rollout", id, "remote", r.RemoteAddr)
	done(w, r, "/firmware", key, 0)
}

// dhcpView is one device DHCP saw and that never asked for a file.
type dhcpView struct {
	DHCPDevice
	Norm string // normalised MAC
}

func (c *Console) serveDHCP(w http.ResponseWriter, r *http.Request) {
	if c.cfg.DHCP == nil {
		c.fail(w, r, http.StatusNotFound, "The DHCP integration is not available in this phoneprovd.")
		return
	}
	var out []dhcpView
	for _, d := range c.cfg.DHCP.Devices() {
		norm, ok := family.NormalizeMAC(d.MAC)
		if !ok {
			norm = strings.ToLower(d.MAC)
		}
		if _, asked := c.cfg.Inventory.Get(norm); asked {
			continue
		}
		out = append(out, dhcpView{DHCPDevice: d, Norm: norm})
	}
	slices.SortFunc(out, func(a, b dhcpView) int { return strings.Compare(a.Norm, b.Norm) })
	c.render(w, r, http.StatusOK, "dhcp", "DHCP-only devices", "dhcp", out)
}
