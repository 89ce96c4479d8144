// Package relisten lets the AMI and ARI fakes come back up on the address
// they had: a test that takes Asterisk down and up again expects the
// clients to reconnect where they were.
package relisten

import (
	"fmt"
	"net"
	"time"
)

// Attempts and Interval bound how long Listen waits for the address to be
// free again (a closed listener's port may linger briefly).
const (
	Attempts = 50
	Interval = 20 * time.Millisecond
)

// Listen listens on TCP address addr again, retrying while it is busy.
func Listen(addr string) (net.Listener, error) {
	var err error
	for range Attempts {
		var ln net.Listener
		if ln, err = net.Listen("tcp", addr); err == nil {
			return ln, nil
		}
		time.Sleep(Interval)
	}
	return nil, fmt.Errorf("failed to listen again on %s: %w", addr, err)
}
