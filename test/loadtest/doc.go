// Package loadtest measures phoneprovd under a boot storm — thousands of
// phones fetching their files at once after a power cut
// (docs/vendors.md#fleet-sizes-and-boot-storms)
// — against nginx and a bare net/http server serving the same bytes, in
// the same run, under the same load.
//
// BenchmarkBootStorm generates a fleet in Asterisk's format (users.conf
// and phoneprov.conf; four dynamic files and two static ones per phone,
// one phone in four with two lines), builds phoneprovd and barehttp,
// measures phoneprovd's cold start, fetches every file from phoneprovd
// once into a directory nginx and barehttp serve, replays the storm
// against each server over loopback HTTP, then measures a reload, and
// prints a table. It is a benchmark only, so make test does not run it:
//
//	go test -run '^$' -bench BootStorm -benchtime 3x ./test/loadtest/
//
// make bench runs STORMROUNDS (default 3) rounds of each storm,
// interleaved, and keeps each server's fastest, which is steadier on a
// machine shared with other work; -benchtime 1x runs one.
//
// The storms are replayed three ways: with keep-alive connections kept
// for the whole storm (the server's cost per request), with a new
// connection per phone for its six files (what booting phones do: one
// connection each, then gone), and with keep-alive for the dynamic files
// only (what phoneprovd renders, without the static firmware files). The
// load generator runs in the benchmark's process, sharing the machine's
// cores with whichever server it loads, alike for all three.
//
// PHONEPROVD_BENCH_PHONES (default 10000) and PHONEPROVD_BENCH_CLIENTS
// (default 64) change the fleet and the number of phones booting at once.
package loadtest
