package families_test

import (
	"fmt"

	"github.com/phoneprovd/phoneprovd/family"
	"github.com/phoneprovd/phoneprovd/family/families"
)

// Identify tells a phone from its request: the User-Agent first, then the
// vendor's file-name convention, then the OUI of a MAC in the path. Over
// TFTP there is no User-Agent. MACMismatch compares the User-Agent's MAC
// with the path's, which a scanner reusing a User-Agent gets wrong.
func ExampleIdentify() {
	for _, r := range []family.Request{
		{Proto: "http", UserAgent: "Yealink SIP-T46G 28.72.0.1 00:15:65:4a:a9:37", Path: "0015654aa937.cfg"},
		{Proto: "http", UserAgent: "FileTransport PolycomVVX-VVX_400-UA/4.1.4.7430 Type/Application", Path: "0004f2a1b2c3-phone.cfg"},
		{Proto: "tftp", Path: "SEP001BD4A1B2C3.cnf.xml"},
		{Proto: "http", Path: "000b82aabbcc.xml"},
	} {
		d := families.Identify(r)
		fmt.Printf("%-11s %-4s %-8s %-12s %-12s vendor from %s, MAC from %s\n",
			d.Vendor, d.ProductLine, d.Model, d.Firmware, d.MAC, d.Source, d.MACSource)
	}
	scan := families.Identify(family.Request{Proto: "http",
		UserAgent: "Yealink SIP-T46G 28.72.0.1 00:15:65:4a:a9:37", Path: "001565000001.cfg"})
	fmt.Println("mismatch:", scan.MACMismatch("001565000001"))
	// Output:
	// Yealink     T4x  SIP-T46G 28.72.0.1    0015654aa937 vendor from user-agent, MAC from user-agent
	// Polycom     VVX  VVX 400  4.1.4.7430   0004f2a1b2c3 vendor from user-agent, MAC from path
	// Cisco       79xx                       001bd4a1b2c3 vendor from path, MAC from path
	// Grandstream                            000b82aabbcc vendor from oui, MAC from path
	// mismatch: true
}
