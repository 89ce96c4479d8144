// Package state keeps what phoneprovd must not forget across a restart or
// a crash — the device inventory, the re-sync queue, the inputs of the
// last good configuration — in one file, STATE-DIR/state.db.
//
// The file is a bbolt database (go.etcd.io/bbolt): a single-file B+tree
// with copy-on-write pages whose transactions are durable when they
// commit (fsync) and atomic whatever the moment the process dies, so a
// kill -9 or a power cut leaves either the previous or the new state, never
// a torn file and never a temporary file beside it. It is embedded (no
// server), made for exactly this — small keyed records written often and
// read at start — and maintained by etcd, which keeps its own state in it.
// A JSON file rewritten whole (what phoneprovd did before) costs the whole
// inventory per save; SQLite would bring cgo or a large translated driver
// for what are plain key/value buckets.
//
// Each part of the daemon that keeps state is a Collector: it marks what
// changed in memory, cheaply, and the Store collects those changes every
// Interval (by default 500 ms) into one transaction. A crash loses at most
// the last interval of observations; what must not be lost at all (an
// administrator's request, once acknowledged) is flushed before it is
// acknowledged. A failed commit is retried at the next interval: Collectors
// collect the same changes again. Adding a kind of state is adding a
// bucket name and a Collector.
package state
