package aritest

import (
	"net/http"
	"strings"
	"testing"
)

// FuzzRequestTarget feeds arbitrary request targets and Authorization
// headers through the fake's parsing and routing (main/http.c handle_uri,
// res_ari.c authenticate_user and ast_ari_invoke): it must never panic,
// and every reply must have a status.
func FuzzRequestTarget(f *testing.F) {
	srv := NewServer(Options{})
	f.Cleanup(srv.Close)
	srv.AddUser("u", "p")
	srv.AddEndpoint(Endpoint{Name: "7001"})
	f.Add("/ari/endpoints/PJSIP/7001?api_key=u:p", "Basic dTpw")
	f.Add("/ari/asterisk/config/dynamic/res_pjsip/auth/%zz+%2F", "Basic ")
	f.Add("/ari//endpoints/?a=&=b&&", "Basic dTpwOnA=")
	f.Add("/ARI", "basic dTpw")
	f.Fuzz(func(t *testing.T, target, authorization string) {
		rawPath, rawQuery, _ := strings.Cut(target, "?")
		uri, ok := ariURI(rawPath)
		params := parseQuery(rawQuery)
		h := http.Header{"Authorization": {authorization}}
		user, password, has := credentials(h, params)
		redactAPIKey(rawQuery)
		if !ok {
			return
		}
		rq := &ariRequest{method: "GET", params: params, user: user}
		if !srv.validUser(user, password, has) {
			return
		}
		rp, _ := srv.invoke(rq, uri)
		if rp.status == 0 && rp.message != nil {
			t.Fatalf("reply without status for %q", target)
		}
	})
}
