package settings

// Security is the [security] section.
type Security struct{}

func (s *Security) defaults() {}

func (s *Security) parser() parser { return parser{} }

func (s *Security) validate() error { return nil }
