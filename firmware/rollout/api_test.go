package rollout

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

var errTest = errors.New("disk full")

func asSaveError(err error, target **SaveError) bool { return errors.As(err, target) }

// TestAPI: the admin API creates, lists, shows, pauses, resumes and
// aborts, with the status codes the command reports.
func TestAPI(t *testing.T) {
	s := newSite(t, newFleet(4, 1))
	mux := http.NewServeMux()
	s.m.Register(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	do := func(method, path, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := do("POST", "/firmware/rollouts", `{"plugin": "wazo-yealink-v86", "package": "T46S_T48S_T42S_T41S-fw", "waves": "50%,100%", "select": ["model=T46S"], "deadline": "1h"}`)
	var sum Summary
	if code != http.StatusCreated || json.Unmarshal([]byte(body), &sum) != nil || sum.ID != "r1" || sum.Phones != 4 || len(sum.Waves) != 2 {
		t.Fatalf("create: %d %s", code, body)
	}
	for _, c := range []struct {
		method, path, body string
		code               int
		frag               string
	}{
		{"POST", "/firmware/rollouts", `{"plugin": "wazo-yealink-v86", "package": "T46S_T48S_T42S_T41S-fw"}`, http.StatusConflict, "phones are in another rollout"},
		{"POST", "/firmware/rollouts", `{"plugin": "wazo-yealink-v86", "package": "T46S_T48S_T42S_T41S-fw", "waves": "0%"}`, http.StatusBadRequest, "not a percentage"},
		{"POST", "/firmware/rollouts", `{"plugin": "x", "colour": 1}`, http.StatusBadRequest, "unknown field"},
		{"POST", "/firmware/rollouts", `not json`, http.StatusBadRequest, "must be a rollout request"},
		{"GET", "/firmware/rollouts", "", http.StatusOK, `"id": "r1"`},
		{"GET", "/firmware/rollouts/r1", "", http.StatusOK, `"phone_list": [`},
		{"GET", "/firmware/rollouts/r7", "", http.StatusNotFound, "no such rollout: r7"},
		{"POST", "/firmware/rollouts/r1/pause", "", http.StatusOK, `"state": "paused"`},
		{"POST", "/firmware/rollouts/r1/pause", "", http.StatusConflict, "only a pending or running one can be paused"},
		{"POST", "/firmware/rollouts/r1/resume", "", http.StatusOK, `"state": "pending"`},
		{"POST", "/firmware/rollouts/r1/explode", "", http.StatusNotFound, "paused, resumed or aborted"},
		{"POST", "/firmware/rollouts/r1/abort", "", http.StatusOK, `"state": "aborted"`},
		{"POST", "/firmware/rollouts/r2/abort", "", http.StatusNotFound, "no such rollout"},
	} {
		code, body := do(c.method, c.path, c.body)
		if code != c.code || !strings.Contains(body, c.frag) {
			t.Errorf("%s %s: %d %s, want %d with %q", c.method, c.path, code, body, c.code, c.frag)
		}
	}
	s.m.cfg.Flush = func() error { return errTest }
	code, body = do("POST", "/firmware/rollouts", `{"plugin": "wazo-yealink-v86", "package": "T46S_T48S_T42S_T41S-fw"}`)
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "not saved (a restart would lose it): disk full") {
		t.Errorf("unsaved: %d %s", code, body)
	}
	var detail Detail
	_, body = do("GET", "/firmware/rollouts/r1", "")
	if err := json.NewDecoder(bytes.NewReader([]byte(body))).Decode(&detail); err != nil || len(detail.PhoneList) != 4 || detail.PhoneList[0].Status != Reverted {
		t.Errorf("detail: %v %+v", err, detail)
	}
}
