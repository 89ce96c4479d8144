package settings

// TFTP is the [tftp] section. Its presence enables TFTP.
type TFTP struct {
	Enabled bool
}

func (t *TFTP) defaults() {}

func (t *TFTP) parser() parser { return parser{} }

func (t *TFTP) validate() error { return nil }
