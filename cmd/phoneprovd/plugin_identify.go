package main

import (
	"context"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/phoneprov"
)

// identify is what was seen of a device, for the plugin phones a snapshot
// configures from identification: its last User-Agent, the last file it
// fetched over HTTP and the vendor class of its last DHCP lease, from the
// inventory.
func (d *daemon) identify(mac string) (phoneprov.Sighting, bool) {
	if d.inventory == nil {
		return phoneprov.Sighting{}, false
	}
	dev, ok := d.inventory.Get(mac)
	if !ok {
		return phoneprov.Sighting{}, false
	}
	sg := phoneprov.Sighting{UserAgent: dev.UserAgent}
	if dev.DHCP != nil {
		sg.VendorClass = dev.DHCP.VendorClass
	}
	for i := len(dev.Files) - 1; i >= 0; i-- {
		if dev.Files[i].Proto == "http" {
			sg.Path = dev.Files[i].File
			break
		}
	}
	return sg, true
}

// reidentify asks for a reload when a request told more about a plugin
// phone than the snapshot serving it was built with (a phone of an "auto"
// profile, or one without MODEL, seen for the first time): the new
// snapshot serves it files of its own, and re-sync leaves it alone
// (FirstIdentified). Only requests of plugins' files, and misses, look.
func (d *daemon) reidentify(route *phoneprov.Route, uri string) {
	mac := ""
	switch {
	case route == nil:
		mac, _ = family.MACFromPath(uri)
	case route.Plugin() != "" && route.Owner() != nil:
		mac, _ = family.NormalizeMAC(route.Owner().MAC)
	}
	d.reidentifyMAC(mac)
}

// reidentifyMAC is reidentify for a device by its MAC (12 lower-case hex
// digits, or "").
func (d *daemon) reidentifyMAC(mac string) {
	if mac == "" {
		return
	}
	snap := d.manager.Snapshot()
	if snap == nil || !snap.Reidentify(mac, d.identify) {
		return
	}
	if !d.reidentifying.CompareAndSwap(false, true) {
		return // a reload is on its way; it reads the inventory afresh
	}
	go func() {
		defer d.reidentifying.Store(false)
		d.log.Info("a plugin phone was identified: reloading to serve it its own files", "mac", mac)
		d.manager.Reload(context.Background(), "plugin phone "+mac+" identified")
	}()
}
