# phoneprovd — build, run, test, bench, fuzz.
#
#   make run     serve the sample configuration (conf/ and family/*/profile) on 127.0.0.1:8080
#   make test    go vet, the race-enabled unit and end-to-end tests, and a short fuzz pass
#   make bench   Go benchmarks and the load benchmarks in test/
#   make fuzz    every fuzz target for FUZZTIME each

GO        ?= go
BIN       := bin/phoneprovd
PKGS      := ./...
FUZZTIME  ?= 60s
# The short fuzz pass that `make test` runs on every target: a count of
# executions, not a duration, because Go 1.26's fuzz coordinator can fail a
# duration-bounded run with a spurious "context deadline exceeded" when the
# time is up (golang/go#75804, fixed in Go 1.27).
FUZZSHORT ?= 30000x
RUNDIR    := $(CURDIR)/.run

PREFIX    ?= /usr/local
DESTDIR   ?=

.PHONY: all build run test test-setup vet unit fuzz fuzz-short bench bench-setup clean install

all: build

build:
	$(GO) build -o $(BIN) ./cmd/phoneprovd

# make run needs no Asterisk: it writes the sample configuration — conf/
# with every family's profile (family/*/profile) — into .run/etc and
# .run/lib, as if they were /etc/asterisk and /var/lib/asterisk, and serves
# it. Each run writes the sample afresh.
run: build
	@mkdir -p $(RUNDIR)/state
	@./$(BIN) samples -force -config-dir $(RUNDIR)/etc -data-dir $(RUNDIR)/lib
	@echo
	@echo "phoneprovd is serving the sample configuration. Try:"
	@echo "  curl -i http://127.0.0.1:8080/phoneprov/0004f2a1b2c3.cfg"
	@echo "  curl -s http://127.0.0.1:8081/status"
	@echo
	./$(BIN) serve -config-dir $(RUNDIR)/etc -data-dir $(RUNDIR)/lib -http 127.0.0.1:8080 -admin 127.0.0.1:8081 -state-dir $(RUNDIR)/state

vet:
	$(GO) vet $(PKGS)

unit:
	$(GO) test -race -count=1 -timeout 15m $(PKGS)

# The tools the tests drive (curl, tftp-hpa, atftp, dnsmasq, kea, ISC dhcpd,
# udhcpc, chromium, Python's Jinja2, …): installed as root on Debian, else
# named (scripts/test-deps).
test-setup:
	@./scripts/test-deps

test: test-setup vet unit fuzz-short

# Every FuzzXxx function in the tree, as "package-dir FuzzName" lines.
FUZZ_TARGETS = $(shell grep -rl --include='*_test.go' '^func Fuzz' . | sort | while read f; do \
	d=$$(dirname $$f); grep -ho '^func Fuzz[A-Za-z0-9_]*' $$f | sed "s|^func |$$d |"; done)

fuzz-short:
	@set -e; out=$$(mktemp); trap 'rm -f $$out' EXIT; \
	echo "$(FUZZ_TARGETS)" | xargs -n2 | while read dir name; do \
		echo "fuzz $$dir $$name ($(FUZZSHORT))"; \
		if ! $(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZSHORT) $$dir >$$out 2>&1; then \
			cat $$out; exit 1; \
		fi; \
	done

fuzz:
	@set -e; echo "$(FUZZ_TARGETS)" | xargs -n2 | while read dir name; do \
		echo "fuzz $$dir $$name ($(FUZZTIME))"; \
		$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) $$dir; \
	done

# -p 1: one package at a time, so that no benchmark shares the two cores
# with another and the ratios against nginx and tftpd-hpa mean something.
# The boot storm runs STORMROUNDS rounds and keeps each server's best.
STORMROUNDS ?= 3
# The load benchmarks drive the servers with wrk against nginx and tftpd-hpa
# (Debian packages wrk, nginx-light, tftpd-hpa; installed here as root).
bench-setup:
	@./scripts/test-deps bench

bench: bench-setup
	$(GO) test -p 1 -run '^$$' -bench . -benchmem $$($(GO) list $(PKGS) | grep -v /test/loadtest)
	$(GO) test -run '^$$' -bench 'Wrk|Scale' -benchtime 1x -timeout 60m ./test/loadtest/
	$(GO) test -run '^$$' -bench BootStorm -benchtime $(STORMROUNDS)x -timeout 60m ./test/loadtest/

clean:
	rm -rf bin $(RUNDIR)

# make install [PREFIX=/usr/local] [DESTDIR=]: the binary, the systemd unit,
# the sample configuration and templates, and phoneprovd.conf.sample beside
# Asterisk's files (never overwriting a configuration). Run again (an
# upgrade), it replaces the shipped samples whole: nothing nests, nothing
# stale stays.
BINDIR     = $(PREFIX)/bin
UNITDIR    = $(PREFIX)/lib/systemd/system
SHAREDIR   = $(PREFIX)/share/phoneprovd
DOCDIR     = $(PREFIX)/share/doc/phoneprovd
ASTETCDIR ?= /etc/asterisk

install: build
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SHAREDIR) $(DESTDIR)$(DOCDIR) $(DESTDIR)$(ASTETCDIR)
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/phoneprovd
	ln -sf phoneprovd $(DESTDIR)$(BINDIR)/phoneprovd-dhcp-event
	sed 's|@BINDIR@|$(BINDIR)|g; s|/usr/local/share/doc|$(PREFIX)/share/doc|g' init/phoneprovd.service > $(DESTDIR)$(UNITDIR)/phoneprovd.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/phoneprovd.service
	rm -rf $(DESTDIR)$(SHAREDIR)/conf $(DESTDIR)$(SHAREDIR)/templates
	./$(BIN) samples -config-dir $(DESTDIR)$(SHAREDIR)/conf -data-dir $(DESTDIR)$(SHAREDIR)/templates
	install -m 0644 README.md $(DESTDIR)$(DOCDIR)/README.md
	install -m 0644 $(DESTDIR)$(SHAREDIR)/conf/phoneprovd.conf $(DESTDIR)$(ASTETCDIR)/phoneprovd.conf.sample
