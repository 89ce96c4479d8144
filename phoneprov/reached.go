package phoneprov

import "strconv"

// Variables phoneprovd adds, like Asterisk's SERVER, to every line of the
// phone a request renders for, unless the line has one of its own. They
// say how the phone reached phoneprovd, so that the URLs a template hands
// it (phone book, provisioning server) work whatever the listener's port
// and protocol. Asterisk has neither: templates fall back on a setvar.
const (
	// VarProvPort is the TCP port the request reached ("8080"); over TFTP
	// (and in the render command) the port of phoneprovd's HTTP listener.
	VarProvPort = "PROV_PORT"
	// VarProvScheme is "http" or "https", as VarProvPort.
	VarProvScheme = "PROV_SCHEME"
)

// RequestVariables are the variables a render adds to the lines of the
// requesting phone: SERVER (Asterisk's), PROV_PORT and PROV_SCHEME.
var RequestVariables = []string{"SERVER", VarProvPort, VarProvScheme}

// Reached is where a request reached phoneprovd. Its values become SERVER,
// PROV_PORT and PROV_SCHEME for the requesting phone's lines that do not
// set them. The zero value is a request nothing is known of.
type Reached struct {
	// Server is the local IP address, without brackets or zone.
	Server string
	// Port is the local TCP port; 0 over TFTP.
	Port int
	// Scheme is "http" or "https"; "" over TFTP.
	Scheme string
}

// RenderReached is Render for a request that reached at: over HTTP or
// HTTPS it also knows the port and the scheme.
func (s *Snapshot) RenderReached(r *Route, at Reached) (*Rendered, error) {
	return s.render(r, at, nil)
}

// reached normalises at for a render of phone p: no Server when p's first
// line sets SERVER (as Asterisk does), and phoneprovd's HTTP listener as
// Port and Scheme when the request did not come over HTTP.
func (s *Snapshot) reached(p *Phone, at Reached) Reached {
	at.Server = p.requestServer(at.Server)
	if at.Port == 0 && s.opts.HTTPPort != 0 {
		at.Port, at.Scheme = s.opts.HTTPPort, "http"
	}
	return at
}

// lookup answers the request variables of at.
func (at Reached) lookup(name string) (string, bool) {
	var v string
	switch name {
	case "SERVER":
		v = at.Server
	case VarProvPort:
		if at.Port > 0 {
			v = strconv.Itoa(at.Port)
		}
	case VarProvScheme:
		v = at.Scheme
	}
	return v, v != ""
}
