package phoneprov

// LiveData is endpoint data taken from the running Asterisk (AMI or ARI).
// It fills what the files do not say; values written in the files win.
type LiveData interface {
	// Endpoint returns what the PBX knows about a PJSIP endpoint.
	Endpoint(name string) (LiveEndpoint, bool)
}

// LiveEndpoint is a PJSIP endpoint as the PBX reports it.
type LiveEndpoint struct {
	Name          string
	Transport     string
	TransportPort string
	CallerIDName  string
	CallerIDNum   string
	AuthID        string // the first inbound auth
	Username      string
	Secret        string
	// Fields are the endpoint's options, keyed by their pjsip.conf names
	// (e.g. "context"), for PJSIP_ENDPOINT.
	Fields map[string]string
}
