package fetch

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

// partial is a download in progress: the .part file, how much of it is
// there, and the SHA-1 of those bytes.
type partial struct {
	f    File
	file *os.File
	have int64
	h    hash.Hash
	task Task
}

// reset empties the .part file to start over.
func (p *partial) reset() error {
	p.have, p.h = 0, sha1.New()
	if err := p.file.Truncate(0); err != nil {
		return err
	}
	_, err := p.file.Seek(0, io.SeekStart)
	return err
}

// load hashes what an earlier attempt left in the .part file.
func (p *partial) load() error {
	fi, err := p.file.Stat()
	if err != nil {
		return err
	}
	if fi.Size() > p.f.Size {
		return p.reset()
	}
	p.h = sha1.New()
	if _, err := p.file.Seek(0, io.SeekStart); err != nil {
		return err
	}
	n, err := io.Copy(p.h, p.file)
	if err != nil {
		return err
	}
	p.have = n
	return nil
}

// write appends received bytes.
func (p *partial) write(b []byte) error {
	if _, err := p.file.Write(b); err != nil {
		return err
	}
	p.h.Write(b)
	p.have += int64(len(b))
	return nil
}

// check compares the complete .part file with the expected size and SHA-1.
func (p *partial) check() error {
	if p.have != p.f.Size {
		return &MismatchError{Name: p.f.Name, What: "size", Want: strconv.FormatInt(p.f.Size, 10) + " bytes", Got: strconv.FormatInt(p.have, 10) + " bytes"}
	}
	if got := hex.EncodeToString(p.h.Sum(nil)); got != p.f.SHA1 {
		return &MismatchError{Name: p.f.Name, What: "SHA-1", Want: p.f.SHA1, Got: got}
	}
	return nil
}

// download fills part (the locked NAME.part) and renames it to dst.
func (c *Cache) download(ctx context.Context, f File, part *os.File, dst string) error {
	p := &partial{f: f, file: part}
	if err := p.load(); err != nil {
		return fmt.Errorf("%s: %w", part.Name(), err)
	}
	fresh := p.have == 0 // a download started from zero in this call
	attempts := c.Attempts
	if attempts <= 0 {
		attempts = 5
	}
	for attempt := 1; ; attempt++ {
		err := c.attempt(ctx, p)
		if err == nil {
			err = p.check()
			var mm *MismatchError
			if errors.As(err, &mm) && !fresh {
				// The bad bytes may be in what an earlier run left:
				// start over once before concluding.
				c.log().Warn("resumed download does not match, starting over", "file", f.Name, "err", err)
				p.task.Done(err)
				if err := p.reset(); err != nil {
					return err
				}
				fresh = true
				continue
			}
			if err == nil {
				err = commit(part, dst)
			}
			if p.task != nil {
				p.task.Done(err)
			}
			if err != nil {
				os.Remove(part.Name())
				return err
			}
			return nil
		}
		if ctx.Err() != nil {
			return p.interrupted(ctx.Err())
		}
		if isPermanent(err) {
			os.Remove(part.Name())
			return unwrapPermanent(err)
		}
		if attempt >= attempts {
			if p.have == 0 {
				os.Remove(part.Name())
				return fmt.Errorf("%s: giving up after %d attempts: %w", f.Name, attempts, err)
			}
			return fmt.Errorf("%s: giving up after %d attempts (%d of %d bytes kept in %s to resume): %w", f.Name, attempts, p.have, f.Size, part.Name(), err)
		}
		wait := c.backoff(attempt)
		c.log().Warn("download failed, retrying", "file", f.Name, "attempt", attempt, "wait", wait, "err", err)
		select {
		case <-ctx.Done():
			return p.interrupted(ctx.Err())
		case <-time.After(wait):
		}
	}
}

// interrupted is the error of a cancelled download; what was received
// stays for the next run to resume.
func (p *partial) interrupted(err error) error {
	if p.have == 0 {
		os.Remove(p.file.Name())
		return fmt.Errorf("%s: download interrupted: %w", p.f.Name, err)
	}
	return fmt.Errorf("%s: download interrupted at %d of %d bytes (kept in %s to resume): %w", p.f.Name, p.have, p.f.Size, p.file.Name(), err)
}

// backoff is the wait after the attempt-th failure: Backoff doubled each
// time, capped at MaxBackoff, with ±20% jitter.
func (c *Cache) backoff(attempt int) time.Duration {
	base, max := c.Backoff, c.MaxBackoff
	if base <= 0 {
		base = time.Second
	}
	if max <= 0 {
		max = 30 * time.Second
	}
	d := base
	for i := 1; i < attempt && d < max; i++ {
		d *= 2
	}
	d = min(d, max)
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}

// commit syncs the checked .part file and renames it into place.
func commit(part *os.File, dst string) error {
	if err := part.Sync(); err != nil {
		return err
	}
	if err := os.Chmod(part.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(part.Name(), dst)
}

// attempt runs one request, appending to p. A nil error means the body
// ended where the file should (it is still to be checked).
func (c *Cache) attempt(ctx context.Context, p *partial) error {
	f := p.f
	if p.have == f.Size {
		if p.task == nil {
			p.task = c.progress().Begin(f.Name, f.URL, f.Size, p.have)
		}
		return nil
	}
	reqCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	req, err := http.NewRequestWithContext(reqCtx, http.MethodGet, f.URL, nil)
	if err != nil {
		return permanent{fmt.Errorf("%s: bad URL %q: %w", f.Name, f.URL, err)}
	}
	ua := c.UserAgent
	if ua == "" {
		ua = "phoneprovd"
	}
	req.Header.Set("User-Agent", ua)
	if p.have > 0 {
		req.Header.Set("Range", "bytes="+strconv.FormatInt(p.have, 10)+"-")
	}
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return err // a *url.Error: it names the method and URL
	}
	defer resp.Body.Close()
	statusErr := &StatusError{URL: f.URL, Status: resp.Status, Code: resp.StatusCode}
	switch code := resp.StatusCode; {
	case code == http.StatusPartialContent && p.have > 0:
		if start, ok := rangeStart(resp.Header.Get("Content-Range")); !ok || start != p.have {
			if err := p.reset(); err != nil {
				return permanent{err}
			}
			return fmt.Errorf("GET %s: asked for bytes from %d, got Content-Range %q; starting over", f.URL, p.have, resp.Header.Get("Content-Range"))
		}
	case code == http.StatusOK:
		if p.have > 0 {
			// The server ignores Range: take the whole body.
			if err := p.reset(); err != nil {
				return permanent{err}
			}
		}
	case code == http.StatusRequestedRangeNotSatisfiable:
		if err := p.reset(); err != nil {
			return permanent{err}
		}
		return fmt.Errorf("%w; starting over", statusErr)
	case (code == http.StatusUnauthorized || code == http.StatusForbidden) && f.Login:
		return permanent{&ManualError{File: f, Path: c.Path(f.Name), Reason: fmt.Sprintf("needs a login at %s (%s)", f.URL, resp.Status)}}
	case code == http.StatusRequestTimeout || code == http.StatusTooManyRequests || code >= 500:
		return statusErr
	default:
		return permanent{statusErr}
	}
	if resp.ContentLength >= 0 && p.have+resp.ContentLength > f.Size {
		return permanent{&MismatchError{Name: f.Name, What: "size", Want: strconv.FormatInt(f.Size, 10) + " bytes",
			Got: strconv.FormatInt(p.have+resp.ContentLength, 10) + " bytes (announced by the server)"}}
	}
	stall := c.Stall
	if stall <= 0 {
		stall = 60 * time.Second
	}
	body := newStallReader(resp.Body, stall, cancel)
	defer body.stop()
	p.task = c.progress().Begin(f.Name, f.URL, f.Size, p.have)
	err = p.copy(body)
	switch {
	case err == nil && p.have < f.Size:
		err = fmt.Errorf("GET %s: connection closed after %d of %d bytes", f.URL, p.have, f.Size)
	case err != nil && body.stalled():
		err = fmt.Errorf("GET %s: nothing received for %s at %d of %d bytes", f.URL, stall, p.have, f.Size)
	case err != nil && ctx.Err() == nil:
		err = fmt.Errorf("GET %s: %w", f.URL, err)
	}
	if err != nil {
		p.task.Done(err)
		return err
	}
	return nil
}

// copy appends the body to the .part file, reading one byte more than
// the file should have to notice an oversized answer.
func (p *partial) copy(body io.Reader) error {
	buf := make([]byte, 256<<10)
	for {
		want := p.f.Size - p.have + 1
		b := buf
		if int64(len(b)) > want {
			b = b[:want]
		}
		n, err := body.Read(b)
		if n > 0 {
			if p.have+int64(n) > p.f.Size {
				return permanent{&MismatchError{Name: p.f.Name, What: "size", Want: strconv.FormatInt(p.f.Size, 10) + " bytes", Got: "more"}}
			}
			if werr := p.write(b[:n]); werr != nil {
				return permanent{werr}
			}
			p.task.Add(int64(n))
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// rangeStart reads the first byte position of "bytes START-END/TOTAL".
func rangeStart(v string) (int64, bool) {
	rest, ok := strings.CutPrefix(v, "bytes ")
	if !ok {
		return 0, false
	}
	start, _, ok := strings.Cut(rest, "-")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(start, 10, 64)
	return n, err == nil
}
