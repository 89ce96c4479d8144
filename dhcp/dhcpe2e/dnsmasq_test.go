package dhcpe2e

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/phoneprovd/phoneprovd/internal/testtool"

	"github.com/phoneprovd/phoneprovd/internal/testlog"
)

// The network inside the namespaces: private addresses, never on the host.
const (
	serverIP = "10.213.0.1"
	httpAddr = serverIP + ":8080"
	// The admin listener is on the veth address, not loopback: lease
	// events must carry the token.
	adminAddr = serverIP + ":8081"
	token     = "e2e-token-0123456789abcdef"
	provURL   = "http://" + httpAddr + "/phoneprov"
)

// need finds a program or stops the test.
func need(t *testing.T, name, pkg string) string { return testtool.Need(t, name, pkg) }

// start runs cmd until the test ends, its output kept for failures.
func start(t *testing.T, what string, cmd *exec.Cmd) *testlog.Buffer {
	t.Helper()
	out := &testlog.Buffer{Limit: 1 << 20}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", what, err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("%s output:\n%s", what, out.String())
		}
	})
	return out
}

// device is what /status/phones says of one MAC.
type device struct {
	MAC        string `json:"mac"`
	Configured bool   `json:"configured"`
	Seen       bool   `json:"seen"`
	DHCPOnly   bool   `json:"dhcp_only"`
	Hint       string `json:"hint"`
	Device     *struct {
		Vendor   string `json:"vendor"`
		Model    string `json:"model"`
		Firmware string `json:"firmware"`
		Requests int    `json:"requests"`
		DHCP     *struct {
			IP          string `json:"ip"`
			VendorClass string `json:"vendor_class"`
			Source      string `json:"source"`
			Action      string `json:"action"`
			Active      bool   `json:"active"`
		} `json:"dhcp"`
	} `json:"device"`
}

// phones runs `phoneprovd phones -json` in the server's namespace.
func phones(t *testing.T, srv *netns, bin, etc string, flags ...string) map[string]device {
	t.Helper()
	out, err := srv.command(bin, append([]string{"phones", "-config-dir", etc, "-admin", adminAddr, "-json"}, flags...)...).Output()
	if err != nil {
		t.Fatalf("phoneprovd phones: %v", err)
	}
	var list struct{ Phones []device }
	if err := json.Unmarshal(out, &list); err != nil {
		t.Fatalf("phoneprovd phones: %v\n%s", err, out)
	}
	m := map[string]device{}
	for _, p := range list.Phones {
		m[p.MAC] = p
	}
	return m
}

// waitFor polls phones until ok accepts what mac shows.
func waitFor(t *testing.T, srv *netns, bin, etc, mac, what string, ok func(device) bool) device {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		d, found := phones(t, srv, bin, etc)[mac]
		if found && ok(d) {
			return d
		}
		if time.Now().After(deadline) {
			b, _ := json.MarshalIndent(d, "", "  ")
			t.Fatalf("%s: %s never showed %s; last seen:\n%s", mac, what, what, b)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// client is ISC dhclient in the phones' namespace, playing one phone at a
// time: a MAC, a vendor class.
type client struct {
	t     *testing.T
	ns    *netns
	bin   string
	iface string
	dir   string
	mac   string // the phone it plays now
}

// lease makes the interface take mac, and dhclient get a lease sending
// vendorClass as option 60; it returns what dhclient's script was given
// on binding (new_ip_address, new_tftp_server_name, …), after configuring
// the address so that the phone can fetch its files.
func (c *client) lease(mac, vendorClass string) map[string]string {
	t := c.t
	t.Helper()
	c.stop("-x") // the previous phone leaves without a word
	c.mac = mac  // each phone keeps its own lease file, so a release names its own lease
	ip(t, "-n", c.ns.name, "addr", "flush", "dev", c.iface)
	ip(t, "-n", c.ns.name, "link", "set", c.iface, "down")
	ip(t, "-n", c.ns.name, "link", "set", c.iface, "address", mac)
	ip(t, "-n", c.ns.name, "link", "set", c.iface, "up")
	dump := filepath.Join(c.dir, "dhclient-"+strings.ReplaceAll(mac, ":", ""))
	script := filepath.Join(c.dir, "dhclient.script")
	os.WriteFile(script, []byte("#!/bin/sh\ncase \"$reason\" in BOUND|RENEW|REBIND|REBOOT)\n"+
		"  ip addr add \"$new_ip_address/$new_subnet_mask\" dev \"$interface\"\n"+
		"  env > \""+dump+"\" ;;\nesac\nexit 0\n"), 0o755)
	conf := filepath.Join(c.dir, "dhclient.conf")
	os.WriteFile(conf, []byte("send vendor-class-identifier \""+vendorClass+"\";\n"+
		"request subnet-mask, broadcast-address, routers, tftp-server-name;\n"), 0o644)
	out, err := c.ns.command(c.bin, c.args("-1", "-v", "-cf", conf, "-sf", script)...).CombinedOutput()
	if err != nil {
		t.Fatalf("dhclient as %s %q: %v\n%s", mac, vendorClass, err, out)
	}
	b, err := os.ReadFile(dump)
	if err != nil {
		t.Fatalf("dhclient as %s got no lease:\n%s", mac, out)
	}
	env := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(string(b)))
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			env[k] = strings.Trim(v, "'")
		}
	}
	return env
}

// args are dhclient's arguments with this client's files.
func (c *client) args(extra ...string) []string {
	leases := "dhclient-" + strings.ReplaceAll(c.mac, ":", "") + ".leases"
	return append(append(extra, "-lf", filepath.Join(c.dir, leases), "-pf", filepath.Join(c.dir, "dhclient.pid")), c.iface)
}

// stop ends the running dhclient: "-x" quietly, "-r" releasing its lease.
func (c *client) stop(how string) {
	if _, err := os.Stat(filepath.Join(c.dir, "dhclient.pid")); err != nil {
		return
	}
	sf := filepath.Join(c.dir, "dhclient.script")
	if out, err := c.ns.command(c.bin, c.args(how, "-sf", sf)...).CombinedOutput(); err != nil {
		c.t.Errorf("dhclient %s: %v\n%s", how, err, out)
	}
	os.Remove(filepath.Join(c.dir, "dhclient.pid"))
}

// rig is phoneprovd running in the server's namespace, with a phone's
// namespace beside it.
type rig struct {
	t        *testing.T
	dir      string
	bin      string // phoneprovd
	etc, lib string
	hook     string // the lease hook the DHCP servers run
	srv, cli *netns
	srvIf    string
	daemon   *testlog.Buffer
	phone    *client
}

// newRig builds phoneprovd, the namespaces joined by a veth pair, and
// starts the daemon: its admin listener on the veth address (not
// loopback, so lease events need the token), one configured Yealink.
func newRig(t *testing.T) *rig {
	if os.Geteuid() != 0 {
		unavailable(t, "network namespaces need root")
	}
	need(t, "ip", "iproute2")
	dhclient := need(t, "dhclient", "isc-dhcp-client")
	need(t, "busybox", "busybox")

	r := &rig{t: t, dir: t.TempDir()}
	r.bin = filepath.Join(r.dir, "phoneprovd")
	if out, err := exec.Command("go", "build", "-o", r.bin, "../../cmd/phoneprovd").CombinedOutput(); err != nil {
		t.Fatalf("building phoneprovd: %v\n%s", err, out)
	}
	r.etc, r.lib = filepath.Join(r.dir, "etc"), filepath.Join(r.dir, "lib")
	// The admin listener is reachable from the namespace's network, so
	// it needs credentials and HTTPS ([admin]); lease events are let in
	// by the [dhcp] token alone.
	cert, key := selfSigned(t, r.dir, serverIP)
	files := map[string]string{
		"etc/phoneprovd.conf": "[general]\nadmin = " + adminAddr + "\n[admin]\nuser = ops\npassword = admin-secret-1234\ntls_cert = " + cert +
			"\ntls_key = " + key + "\n[dhcp]\ntoken = " + token + "\nurl = " + provURL + "\n",
		"etc/phoneprov.conf":  "[general]\ndefault_profile = p\n[p]\n${MAC}.cfg => t.cfg\n",
		"etc/users.conf":      "[yealink1]\nusername = yealink1\nmacaddress = 001565aabbcc\nautoprov = yes\n",
		"lib/phoneprov/t.cfg": "account.1.user_name = ${USERNAME}\n",
	}
	for name, content := range files {
		p := filepath.Join(r.dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	suffix := fmt.Sprint(os.Getpid() % 100000)
	r.srv = newNetns(t, "ppdhcp-srv-"+suffix)
	r.cli = newNetns(t, "ppdhcp-cli-"+suffix)
	r.srvIf = "ppS" + suffix
	cliIf := "ppC" + suffix
	veth(t, r.srv, r.srvIf, r.cli, cliIf)
	ip(t, "-n", r.srv.name, "addr", "add", serverIP+"/24", "dev", r.srvIf)
	ip(t, "-n", r.srv.name, "link", "set", r.srvIf, "up")
	ip(t, "-n", r.cli.name, "link", "set", cliIf, "up")

	r.daemon = start(t, "phoneprovd", r.srv.command(r.bin, "serve", "-config-dir", r.etc, "-data-dir", r.lib,
		"-state-dir", filepath.Join(r.dir, "state"), "-http", httpAddr, "-log-level", "debug"))
	deadline := time.Now().Add(20 * time.Second)
	for r.srv.command(r.bin, "phones", "-config-dir", r.etc, "-admin", adminAddr).Run() != nil {
		if time.Now().After(deadline) {
			t.Fatalf("phoneprovd did not start:\n%s", r.daemon.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	// The hook the DHCP servers run: phoneprovd with this configuration
	// directory (phoneprovd.conf has the admin address and the token).
	r.hook = filepath.Join(r.dir, "dhcp-event")
	os.WriteFile(r.hook, []byte("#!/bin/sh\nexec "+r.bin+" dhcp event -config-dir "+r.etc+" \"$@\"\n"), 0o755)
	r.phone = &client{t: t, ns: r.cli, bin: dhclient, iface: cliIf, dir: r.dir}
	t.Cleanup(func() { r.phone.stop("-x") })
	return r
}

// config writes phoneprovd's configuration for a DHCP server into a file.
func (r *rig) config(format string) string {
	out, err := exec.Command(r.bin, "dhcp", "config", "-format", format, "-config-dir", r.etc, "-hook", r.hook).Output()
	if err != nil {
		r.t.Fatalf("phoneprovd dhcp config -format %s: %v", format, err)
	}
	p := filepath.Join(r.dir, "phoneprovd-"+format+".conf")
	os.WriteFile(p, out, 0o644)
	return p
}

// phones is what `phoneprovd phones -json` says, by MAC.
func (r *rig) phones(flags ...string) map[string]device {
	return phones(r.t, r.srv, r.bin, r.etc, flags...)
}

// waitFor polls the phones until ok accepts what mac shows.
func (r *rig) waitFor(mac, what string, ok func(device) bool) device {
	return waitFor(r.t, r.srv, r.bin, r.etc, mac, what, ok)
}

// TestDnsmasqLeases: dnsmasq serving phoneprovd's generated configuration
// gives a Yealink and a Digium the option 66 URL of their family, and its
// dhcp-script delivers each lease to the daemon, which shows the devices
// identified — the Digium's model and firmware from option 60 — before
// they asked for anything; a device that is not a phone gets no URL and
// is not recorded; the URL the Yealink received serves its file.
func TestDnsmasqLeases(t *testing.T) {
	dnsmasq := need(t, "dnsmasq", "dnsmasq-base")
	r := newRig(t)
	mainConf := filepath.Join(r.dir, "dnsmasq.conf")
	os.WriteFile(mainConf, []byte(strings.Join([]string{
		"port=0", "interface=" + r.srvIf, "bind-interfaces", "no-resolv", "no-hosts",
		"dhcp-range=10.213.0.50,10.213.0.99,255.255.255.0,1h", "dhcp-authoritative",
		"dhcp-leasefile=" + filepath.Join(r.dir, "dnsmasq.leases"), "pid-file=" + filepath.Join(r.dir, "dnsmasq.pid"),
		"user=root", "log-dhcp", "log-facility=-", "conf-file=" + r.config("dnsmasq"), ""}, "\n")), 0o644)
	start(t, "dnsmasq", r.srv.command(dnsmasq, "--keep-in-foreground", "--conf-file="+mainConf))
	cli, phone, daemon := r.cli, r.phone, r.daemon

	// A Yealink (a configured phone) and a Digium (unknown) boot.
	yealink := phone.lease("00:15:65:aa:bb:cc", "yealink")
	if got := yealink["new_tftp_server_name"]; got != provURL {
		t.Errorf("the Yealink received option 66 %q, want %q (dhclient: %v)", got, provURL, yealink)
	}
	digium := phone.lease("00:0f:d3:aa:bb:01", "digium_D40_1_1_0_0_48178")
	if got := digium["new_tftp_server_name"]; got != provURL+"/Digium" {
		t.Errorf("the Digium received option 66 %q, want %q", got, provURL+"/Digium")
	}
	// A laptop: no option 66, and not in the inventory.
	laptop := phone.lease("52:54:00:12:34:56", "MSFT 5.0")
	if got, ok := laptop["new_tftp_server_name"]; ok {
		t.Errorf("a laptop received option 66 %q", got)
	}

	d := r.waitFor("000fd3aabb01", "the Digium's lease", func(d device) bool { return d.Device != nil && d.Device.DHCP != nil })
	if d.Configured || d.Seen || !d.DHCPOnly || d.Device.Vendor != "Digium" || d.Device.Model != "D40" || d.Device.Firmware != "1.1.0.0.48178" ||
		d.Device.Requests != 0 || d.Device.DHCP.IP != digium["new_ip_address"] || d.Device.DHCP.Source != "dnsmasq" || !d.Device.DHCP.Active ||
		!strings.Contains(d.Hint, "option 66, which Digium phones read") {
		t.Errorf("the Digium: %+v %+v %+v", d, d.Device, d.Device.DHCP)
	}
	y := r.waitFor("001565aabbcc", "the Yealink's lease", func(d device) bool { return d.Device != nil && d.Device.DHCP != nil })
	if !y.Configured || y.Seen || !y.DHCPOnly || y.Device.Vendor != "Yealink" || y.Device.DHCP.IP != yealink["new_ip_address"] || y.Device.DHCP.VendorClass != "yealink" {
		t.Errorf("the Yealink: %+v %+v %+v", y, y.Device, y.Device.DHCP)
	}
	only := r.phones("-dhcp-only")
	if len(only) != 2 || only["000fd3aabb01"].MAC == "" || only["001565aabbcc"].MAC == "" {
		t.Errorf("phones -dhcp-only: %+v", only)
	}
	if _, ok := r.phones()["525400123456"]; ok {
		t.Error("the laptop is in the inventory")
	}

	// The Yealink fetches its file from the URL it was given: it is no
	// longer DHCP-only.
	phone.lease("00:15:65:aa:bb:cc", "yealink")
	body, err := cli.command("busybox", "wget", "-q", "-O", "-", yealink["new_tftp_server_name"]+"/001565aabbcc.cfg").Output()
	if err != nil || string(body) != "account.1.user_name = yealink1\n" {
		t.Errorf("fetching from the URL of option 66: %q, %v", body, err)
	}
	r.waitFor("001565aabbcc", "the Yealink's fetch", func(d device) bool { return d.Seen && !d.DHCPOnly && d.Device.Requests == 1 })

	// The Digium releases its lease: dnsmasq runs the hook with "del".
	phone.lease("00:0f:d3:aa:bb:01", "digium_D40_1_1_0_0_48178")
	phone.stop("-r")
	r.waitFor("000fd3aabb01", "the released lease", func(d device) bool {
		return d.Device.DHCP.Action == "del" && !d.Device.DHCP.Active && d.Device.Model == "D40"
	})

	// No log line holds the token.
	time.Sleep(200 * time.Millisecond)
	daemon.NoSecrets(t, token)
	if strings.Contains(daemon.String(), "DHCP lease event was refused") {
		t.Errorf("a lease event was refused:\n%s", daemon.String())
	}
}

// selfSigned writes a self-signed certificate for ip and its key into dir.
func selfSigned(t *testing.T, dir, ip string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: ip},
		IPAddresses:  []net.IP{net.ParseIP(ip)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "admin.crt"), filepath.Join(dir, "admin.key")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600)
	return certFile, keyFile
}
