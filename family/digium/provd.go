package digium

import (
	"errors"

	"github.com/phoneprovd/phoneprovd/family/provd"
)

func provdPlugin(name string) (provd.Plugin, error) { return nil, errors.New("TODO") }
