package loadtest

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/phoneprovd/phoneprovd/conf"
)

// A scale site is a fleet in Asterisk's format on one of the profiles
// users run: the shipped Polycom profile (conf/, templates/), Asterisk's
// stock polycom profile and templates (the golden configuration of a real
// Asterisk), or the boot-storm fleet above. Each phone has one line.
type scaleSite struct {
	name    string
	confDir string
	dataDir string
	macs    []string
	// nameEdit rewrites users.conf with user i's full name changed;
	// probe is a phone book that lists user i (another phone's).
	usersConf string
	users     string
	probeBook string
	// template is a template every phone uses, and templateProbe the
	// route (a format with the MAC) that shows an edit of it.
	template, templateProbe string
}

// sharedRoot is the reference material beside the repository, relative
// to this package.
const sharedRoot = "../../../shared"

// usersConf returns a users.conf of n one-line phones of profile, the
// full name of user edited carrying mark.
func usersConf(n int, profile string, edited int, mark string) string {
	rng := rand.New(rand.NewPCG(7, 7))
	var b strings.Builder
	b.WriteString("[general]\nvmexten = *97\nlocalextenlength = 5\n\n")
	for i := range n {
		name := personName(rng)
		if i == edited {
			name += " " + mark
		}
		ext := 20000 + i
		fmt.Fprintf(&b, "[%d]\nfullname = %s\nusername = %d\nsecret = %x\ncid_number = %d\nlabel = %d\n"+
			"macaddress = 0004f2%06x\ntimezone = %s\nlinenumber = 1\nlinekeys = 1\nautoprov = yes\nprofile = %s\n\n",
			ext, name, ext, rng.Uint64(), ext, ext, i, fleetZones[i%len(fleetZones)], profile)
	}
	return b.String()
}

// shippedPolycomSite is n phones on the Polycom profile phoneprovd ships,
// with its phone book.
func shippedPolycomSite(root string, n int) (*scaleSite, error) {
	s := &scaleSite{name: "shipped polycom", confDir: filepath.Join(root, "etc"), dataDir: filepath.Join(root, "lib")}
	sample, err := conf.Default()
	if err != nil {
		return nil, err
	}
	if err := sample.Write(s.confDir, s.dataDir, true); err != nil {
		return nil, err
	}
	for _, f := range []string{"pjsip.conf", "phoneprovd.conf"} {
		os.Remove(filepath.Join(s.confDir, f))
	}
	s.fill(n, "polycom", "%s-directory.xml")
	s.template, s.templateProbe = filepath.Join(s.dataDir, "phoneprov/polycom/phone.cfg"), "%s-phone.cfg"
	return s, s.write()
}

// stockPolycomSite is n phones on Asterisk's stock polycom profile and
// templates, as a real Asterisk 20.20.1 ran them.
func stockPolycomSite(root string, n int) (*scaleSite, error) {
	s := &scaleSite{name: "Asterisk's stock polycom", confDir: filepath.Join(root, "etc"), dataDir: filepath.Join(root, "lib")}
	golden := filepath.Join(sharedRoot, "asterisk/golden/configs")
	for _, f := range []string{"phoneprov.conf", "asterisk.conf"} {
		b, err := os.ReadFile(filepath.Join(golden, "etc-asterisk", f))
		if err != nil {
			return nil, fmt.Errorf("%w (the reference configuration lives in ../shared beside the repository)", err)
		}
		if err := writeFile(filepath.Join(s.confDir, f), b); err != nil {
			return nil, err
		}
	}
	if err := os.CopyFS(filepath.Join(s.dataDir, "phoneprov"), os.DirFS(filepath.Join(golden, "phoneprov-templates"))); err != nil {
		return nil, err
	}
	s.fill(n, "polycom", "%s-directory.xml")
	s.template, s.templateProbe = filepath.Join(s.dataDir, "phoneprov/polycom.xml"), "config/%s"
	return s, s.write()
}

// fleetSite is the boot-storm fleet (no phone book) of n phones.
func fleetSite(root string, n int) (*scaleSite, error) {
	fl, err := generateFleet(root, n)
	if err != nil {
		return nil, err
	}
	s := &scaleSite{name: "fleet", confDir: fl.confDir, dataDir: fl.dataDir}
	for _, p := range fl.phones {
		s.macs = append(s.macs, p.mac)
	}
	s.template, s.templateProbe = fl.templatePath("vvx/overrides.cfg"), "%s-overrides.cfg"
	return s, nil
}

// fill makes n phones of profile; the phone book of phone 1 lists phone
// 0, whose name the edit changes.
func (s *scaleSite) fill(n int, profile, book string) {
	for i := range n {
		s.macs = append(s.macs, fmt.Sprintf("0004f2%06x", i))
	}
	s.usersConf = filepath.Join(s.confDir, "users.conf")
	s.users = usersConf(n, profile, -1, "")
	s.probeBook = "/phoneprov/" + fmt.Sprintf(book, s.macs[1])
}

func (s *scaleSite) write() error {
	return writeFile(s.usersConf, []byte(s.users))
}

// probe is a route every site serves once it is loaded: the last
// phone's template-edited file.
func (s *scaleSite) probe() string {
	return "/phoneprov/" + fmt.Sprintf(s.templateProbe, s.macs[len(s.macs)-1])
}
