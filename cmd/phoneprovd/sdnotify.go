package main

import (
	"net"
	"os"
)

// sdNotify tells systemd about the daemon's state (Type=notify units):
// "READY=1" once a configuration is loaded and served, "STOPPING=1" on
// shutdown. Without NOTIFY_SOCKET it does nothing.
func sdNotify(state string) error {
	addr := os.Getenv("NOTIFY_SOCKET")
	if addr == "" {
		return nil
	}
	if addr[0] == '@' {
		addr = "\x00" + addr[1:] // abstract socket
	}
	conn, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: addr, Net: "unixgram"})
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = conn.Write([]byte(state))
	return err
}
