package rollout

import (
	"encoding/json"
	"errors"
	"net/http"
)

// The admin API, on the admin listener:
//
//	POST /firmware/rollouts                  a Request → 201 and the Summary
//	GET  /firmware/rollouts                  {"rollouts": [Summary...]}, newest first
//	GET  /firmware/rollouts/{id}             the Detail, with every phone
//	POST /firmware/rollouts/{id}/pause       → the Summary
//	POST /firmware/rollouts/{id}/resume
//	POST /firmware/rollouts/{id}/abort
//
// Errors are {"error": "..."}: 400 for a bad request or one that selects
// no phone to upgrade, 404 for an unknown rollout, 409 for phones in
// another rollout or an action the state does not allow, 503 when the
// change was made but could not be saved.

// Mux is where the API is registered: an admin server, an http.ServeMux.
type Mux interface {
	Handle(pattern string, h http.Handler)
}

// Register adds the API to mux.
func (m *Manager) Register(mux Mux) {
	mux.Handle("POST /firmware/rollouts", http.HandlerFunc(m.serveCreate))
	mux.Handle("GET /firmware/rollouts", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"rollouts": m.List()})
	}))
	mux.Handle("GET /firmware/rollouts/{id}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d, err := m.Get(r.PathValue("id"))
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, d)
	}))
	mux.Handle("POST /firmware/rollouts/{id}/{action}", http.HandlerFunc(m.serveAction))
}

func (m *Manager) serveCreate(w http.ResponseWriter, r *http.Request) {
	var req Request
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 16<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "the body must be a rollout request: " + err.Error()})
		return
	}
	s, err := m.Create(req)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, s)
}

func (m *Manager) serveAction(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var (
		s   Summary
		err error
	)
	switch r.PathValue("action") {
	case "pause":
		s, err = m.Pause(id)
	case "resume":
		s, err = m.Resume(id)
	case "abort":
		s, err = m.Abort(id)
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "a rollout can be paused, resumed or aborted"})
		return
	}
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, s)
}

// SaveError is a change made but not saved: a restart would lose it.
type SaveError struct{ Err error }

func (e *SaveError) Error() string {
	return "done, but not saved (a restart would lose it): " + e.Err.Error()
}

func (e *SaveError) Unwrap() error { return e.Err }

// writeError answers err with its status.
func writeError(w http.ResponseWriter, err error) {
	code := http.StatusInternalServerError
	var se *SaveError
	switch {
	case errors.Is(err, ErrInvalid):
		code = http.StatusBadRequest
	case errors.Is(err, ErrNotFound):
		code = http.StatusNotFound
	case errors.Is(err, ErrConflict), errors.Is(err, ErrState):
		code = http.StatusConflict
	case errors.As(err, &se):
		code = http.StatusServiceUnavailable
	}
	writeJSON(w, code, map[string]string{"error": err.Error()})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}
