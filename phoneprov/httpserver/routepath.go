package httpserver

// RoutePath returns the route a request target ("/phoneprov/0004f2a1b2c3.cfg?x=1")
// asks for, as the handler finds it for http.conf prefix prefix: the query
// cut off, the prefix and "phoneprov" matched case-insensitively, the rest
// URL-decoded as Asterisk does. ok is false when the target is not under
// /<prefix>/phoneprov.
func RoutePath(target, prefix string) (route string, ok bool) {
	h := Handler{cfg: Config{Prefix: prefix}}
	return h.routePath(target)
}
