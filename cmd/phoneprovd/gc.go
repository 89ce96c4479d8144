package main

import "runtime/debug"

// gcPercent is the garbage collector's GOGC when the environment does not
// set one. Nearly all of phoneprovd's heap is long-lived: the snapshot and
// every phone's rendered files, tens of megabytes at ten thousand phones.
// Go's default of 100 lets the heap grow to twice that before collecting,
// so the process would hold as much again in headroom for request garbage
// that lives for microseconds. At 25 the headroom is a quarter; the boot
// storm benchmark (test/loadtest) shows no loss of throughput.
const gcPercent = 25

// tuneGC applies gcPercent unless GOGC is in the environment (lookupEnv is
// os.LookupEnv): an operator who sets GOGC, or GOMEMLIMIT, decides. It
// returns the GOGC in effect.
func tuneGC(lookupEnv func(string) (string, bool)) int {
	if _, set := lookupEnv("GOGC"); set {
		old := debug.SetGCPercent(-1)
		debug.SetGCPercent(old)
		return old
	}
	debug.SetGCPercent(gcPercent)
	return gcPercent
}
