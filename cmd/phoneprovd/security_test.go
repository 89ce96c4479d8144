package main

import "testing"

func TestReachable(t *testing.T) {
	for addr, want := range map[string]bool{
		":8080": true, "0.0.0.0:8080": true, "[::]:8080": true, "192.0.2.1:8080": true,
		"127.0.0.1:8080": false, "127.1.2.3:69": false, "[::1]:8080": false, "localhost:8080": false,
		"[::ffff:127.0.0.1]:80": false,
	} {
		if got := reachable(addr); got != want {
			t.Errorf("reachable(%q) = %v, want %v", addr, got, want)
		}
	}
}
