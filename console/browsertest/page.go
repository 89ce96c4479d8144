package browsertest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Page is one tab of the browser.
type Page struct {
	b       *Browser
	target  string
	session string

	mu     sync.Mutex
	loads  int // load events so far
	loaded chan struct{}
	errors []string
}

// NewPage opens a tab on about:blank.
func (b *Browser) NewPage(ctx context.Context) (*Page, error) {
	var created struct {
		TargetID string `json:"targetId"`
	}
	if err := b.call(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank"}, &created); err != nil {
		return nil, err
	}
	var attached struct {
		SessionID string `json:"sessionId"`
	}
	if err := b.call(ctx, "", "Target.attachToTarget", map[string]any{"targetId": created.TargetID, "flatten": true}, &attached); err != nil {
		return nil, err
	}
	p := &Page{b: b, target: created.TargetID, session: attached.SessionID, loaded: make(chan struct{})}
	b.mu.Lock()
	b.sessions[p.session] = p
	b.mu.Unlock()
	for _, domain := range []string{"Page.enable", "Runtime.enable", "Log.enable"} {
		if err := p.call(ctx, domain, struct{}{}, nil); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (p *Page) call(ctx context.Context, method string, params, out any) error {
	return p.b.call(ctx, p.session, method, params, out)
}

// event records what the page says: loads and errors. Called with the
// browser's lock held.
func (p *Page) event(m message) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch m.Method {
	case "Page.loadEventFired":
		p.loads++
		close(p.loaded)
		p.loaded = make(chan struct{})
	case "Runtime.exceptionThrown":
		var e struct {
			Details struct {
				Text      string `json:"text"`
				Exception struct {
					Description string `json:"description"`
				} `json:"exception"`
			} `json:"exceptionDetails"`
		}
		json.Unmarshal(m.Params, &e)
		p.errors = append(p.errors, "exception: "+e.Details.Text+" "+e.Details.Exception.Description)
	case "Log.entryAdded":
		var e struct {
			Entry struct {
				Level, Text, URL string
			} `json:"entry"`
		}
		json.Unmarshal(m.Params, &e)
		if e.Entry.Level == "error" {
			p.errors = append(p.errors, "log: "+e.Entry.Text+" "+e.Entry.URL)
		}
	case "Runtime.consoleAPICalled":
		var e struct {
			Type string `json:"type"`
			Args []struct {
				Value any `json:"value"`
			} `json:"args"`
		}
		json.Unmarshal(m.Params, &e)
		if e.Type == "error" || e.Type == "assert" {
			p.errors = append(p.errors, fmt.Sprint("console.error: ", e.Args))
		}
	}
}

// Errors returns what went wrong in the page so far: JavaScript
// exceptions, console errors, resources refused (a Content-Security-Policy
// violation, a missing file).
func (p *Page) Errors() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.errors...)
}

// loadState returns the number of loads so far and a channel closed at
// the next one.
func (p *Page) loadState() (int, chan struct{}) {
	p.b.mu.Lock()
	defer p.b.mu.Unlock()
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.loads, p.loaded
}

// waitLoad waits for a load after the count n.
func (p *Page) waitLoad(ctx context.Context, n int) error {
	for {
		count, next := p.loadState()
		if count > n {
			return nil
		}
		select {
		case <-next:
		case <-ctx.Done():
			return fmt.Errorf("browsertest: waiting for the page to load: %w", ctx.Err())
		}
	}
}

// Navigate opens url and waits until the page has loaded.
func (p *Page) Navigate(ctx context.Context, url string) error {
	n, _ := p.loadState()
	var res struct {
		ErrorText string `json:"errorText"`
	}
	if err := p.call(ctx, "Page.navigate", map[string]any{"url": url}, &res); err != nil {
		return err
	}
	if res.ErrorText != "" {
		return fmt.Errorf("browsertest: opening %s: %s", url, res.ErrorText)
	}
	return p.waitLoad(ctx, n)
}

// Eval evaluates a JavaScript expression in the page (awaiting a
// promise) and decodes its value into out (when not nil).
func (p *Page) Eval(ctx context.Context, expr string, out any) error {
	var res struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		Exception *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	err := p.call(ctx, "Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true, "awaitPromise": true}, &res)
	if err != nil {
		return err
	}
	if e := res.Exception; e != nil {
		return fmt.Errorf("browsertest: %s: %s %s", expr, e.Text, e.Exception.Description)
	}
	if out == nil || len(res.Result.Value) == 0 {
		return nil
	}
	return json.Unmarshal(res.Result.Value, out)
}

// WaitFor evaluates a JavaScript condition until it is true. Evaluations
// that fail (the page is being replaced) count as false.
func (p *Page) WaitFor(ctx context.Context, cond string) error {
	var last error
	for {
		var ok bool
		if err := p.Eval(ctx, "!!("+cond+")", &ok); err != nil {
			last = err
		} else if ok {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("browsertest: waiting for %s: %w (last error: %v)", cond, ctx.Err(), last)
		case <-time.After(25 * time.Millisecond):
		}
	}
}

// Text returns the text of the page's body, as a reader sees it.
func (p *Page) Text(ctx context.Context) (string, error) {
	var s string
	err := p.Eval(ctx, "document.body ? document.body.innerText : ''", &s)
	return s, err
}

// HTML returns the page's DOM as HTML.
func (p *Page) HTML(ctx context.Context) (string, error) {
	var s string
	err := p.Eval(ctx, "document.documentElement.outerHTML", &s)
	return s, err
}

// Click clicks the centre of the first element selector matches, with the
// mouse, as a user does, after scrolling it into view.
func (p *Page) Click(ctx context.Context, selector string) error {
	sel, _ := json.Marshal(selector)
	var at *struct{ X, Y float64 }
	err := p.Eval(ctx, `(() => {
		const e = document.querySelector(`+string(sel)+`);
		if (!e) return null;
		e.scrollIntoView({block: "center", inline: "center"});
		const r = e.getBoundingClientRect();
		return {X: r.left + r.width / 2, Y: r.top + r.height / 2};
	})()`, &at)
	if err != nil {
		return err
	}
	if at == nil {
		return fmt.Errorf("browsertest: no element matches %s", selector)
	}
	for _, kind := range []string{"mouseMoved", "mousePressed", "mouseReleased"} {
		ev := map[string]any{"type": kind, "x": at.X, "y": at.Y}
		if kind != "mouseMoved" {
			ev["button"], ev["clickCount"] = "left", 1
		}
		if err := p.call(ctx, "Input.dispatchMouseEvent", ev, nil); err != nil {
			return err
		}
	}
	return nil
}

// ClickAndWait clicks an element and waits for the page it opens (a
// link, a form's button) to load.
func (p *Page) ClickAndWait(ctx context.Context, selector string) error {
	n, _ := p.loadState()
	if err := p.Click(ctx, selector); err != nil {
		return err
	}
	return p.waitLoad(ctx, n)
}

// Do runs JavaScript that opens another page (submits a form) and waits
// for it to load.
func (p *Page) Do(ctx context.Context, js string) error {
	n, _ := p.loadState()
	if err := p.Eval(ctx, js, nil); err != nil && !strings.Contains(err.Error(), "context was destroyed") {
		return err
	}
	return p.waitLoad(ctx, n)
}

// Screenshot returns a PNG of the page at width × height CSS pixels
// (the whole page's height when fullPage).
func (p *Page) Screenshot(ctx context.Context, width, height int, fullPage bool) ([]byte, error) {
	if err := p.call(ctx, "Emulation.setDeviceMetricsOverride", map[string]any{
		"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}, nil); err != nil {
		return nil, err
	}
	params := map[string]any{"format": "png"}
	if fullPage {
		params["captureBeyondViewport"] = true
		var h float64
		if err := p.Eval(ctx, "document.documentElement.scrollHeight", &h); err != nil {
			return nil, err
		}
		params["clip"] = map[string]any{"x": 0, "y": 0, "width": width, "height": h, "scale": 1}
	}
	var res struct {
		Data string `json:"data"`
	}
	if err := p.call(ctx, "Page.captureScreenshot", params, &res); err != nil {
		return nil, err
	}
	return base64.StdEncoding.DecodeString(res.Data)
}

// Close closes the tab.
func (p *Page) Close(ctx context.Context) error {
	p.b.mu.Lock()
	delete(p.b.sessions, p.session)
	p.b.mu.Unlock()
	return p.b.call(ctx, "", "Target.closeTarget", map[string]any{"targetId": p.target}, nil)
}
