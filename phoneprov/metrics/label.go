package metrics

import "github.com/phoneprovd/phoneprovd/phoneprov"

// RouteKind labels a request by what it reached: "static", "dynamic" or
// "none".
func RouteKind(r *phoneprov.Route) string {
	switch {
	case r == nil:
		return "none"
	case r.Static():
		return "static"
	}
	return "dynamic"
}
