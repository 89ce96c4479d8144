// Package rollout moves phones to new firmware in waves, and stops when
// phones do not come back.
//
// A rollout takes the phones a plugin serves whose model a firmware
// package is for — those whose plugin names, as their firmware file
// (Wazo's XX_fw_filename, from the family's model table), a file the
// package brings — narrowed by a selector (model, MAC, profile, current
// firmware, a list of MACs). Phones that already report the package's
// version are "current" and in no wave; the others are split into
// cumulative waves ("1%,10%,50%,100%"), in an order that spreads models
// and sites.
//
// # One source of truth: the pins
//
// Which firmware file a phone's configuration names is an input of the
// snapshot (phoneprov.FirmwarePins, answered by Manager.Pin): while its
// wave has not started a phone is held at the file its configuration
// named when the rollout was created — or at none, when that was already
// the new file (the usual case: the plugin names its version's file
// whether or not it is installed) — and from its wave on it names the new
// file. Creating a rollout, starting a wave and aborting are therefore
// reloads like any other: the phones whose files change are found by the
// ordinary change detection and re-synced by the ordinary, paced NOTIFY.
// A hold where there was no pin is not worth a NOTIFY (nothing the phone
// needs changed; phoneprov.Snapshot.FirmwareHeld), a wave start and an
// abort are. When a rollout is done it no longer pins anything: the
// plugin names the firmware again, the same file.
//
// # Health of a phone
//
// A phone of a wave under way is upgraded when, in order, each within the
// deadline (Settings.Deadline, per step) of the step before:
//
//   - config: it fetched one of its dynamic files from a snapshot that
//     serves its new configuration (Fetched, from the daemon's onFetch);
//   - firmware: it fetched the firmware's route (HTTP 200 or 206, TFTP
//     completed), as the inventory recorded it against its MAC;
//   - register: Asterisk reported one of its endpoints' contacts
//     registered (AMI ContactStatus Created/Updated/Reachable/NonQualified,
//     ARI ContactStatusChange) after the firmware fetch;
//   - version: its User-Agent reports the package's version.
//
// A later step implies the earlier ones when their evidence was missed (a
// TFTP transfer from an address several devices share is attributed to
// nobody; the new version in the User-Agent proves the firmware came).
// The first step that does not come in time fails the phone, with the
// step and what was seen.
//
// # The state machine
//
//	pending → running (wave 1) → running (wave 2) → … → done
//	   ↘ paused ↔ running       ↘ halted → running (resume: failures accepted)
//	   any of pending, running, paused, halted → aborted
//
// A wave succeeds when every phone of it is upgraded or failed; the next
// starts at once (unless paused). A wave whose failed phones reach its
// threshold (Threshold: a number, or a share of the wave, at least one
// phone) halts the rollout at once: the phones of the later waves keep
// their old configuration, and the message names the failed phones and
// the step each failed at. Resume accepts the failures and goes on; abort
// returns every phone not upgraded to its old configuration (the hold)
// until another rollout takes it.
//
// The rollouts are saved in the state store (bucket "rollouts", a record
// per rollout and per phone); an administrator's request is saved before
// it is answered. After a restart they are taken up where they were,
// their deadlines counted from the saved times.
package rollout
