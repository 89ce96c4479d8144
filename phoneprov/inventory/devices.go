package inventory

// Devices returns a copy of every device without its fetch history
// (Files is nil), in no particular order: what a listing of the whole
// fleet needs, at a fraction of the cost of All, which copies ten
// thousand devices' histories.
func (inv *Inventory) Devices() []Device {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	out := make([]Device, 0, len(inv.devices))
	for _, d := range inv.devices {
		d.mu.Lock()
		out = append(out, d.Device)
		d.mu.Unlock()
	}
	return out
}
