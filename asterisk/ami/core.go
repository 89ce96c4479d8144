package ami

import (
	"context"
	"fmt"
)

// Version returns the Asterisk version (CoreSettings' AsteriskVersion),
// e.g. "20.20.1".
func (c *Client) Version(ctx context.Context) (string, error) {
	resp, err := c.Action(ctx, "CoreSettings")
	if err != nil {
		return "", err
	}
	v := resp.Get("AsteriskVersion")
	if v == "" {
		return "", fmt.Errorf("%w: CoreSettings without AsteriskVersion", ErrProtocol)
	}
	return v, nil
}
