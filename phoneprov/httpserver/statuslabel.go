package httpserver

import (
	"net/http"
	"strconv"
)

// StatusLabel formats a status code (for a metric label or the
// inventory) without allocating for the common ones.
func StatusLabel(code int) string {
	switch code {
	case http.StatusOK:
		return "200"
	case http.StatusNotFound:
		return "404"
	case http.StatusUnauthorized:
		return "401"
	case http.StatusForbidden:
		return "403"
	case http.StatusTooManyRequests:
		return "429"
	case http.StatusInternalServerError:
		return "500"
	}
	return strconv.Itoa(code)
}
