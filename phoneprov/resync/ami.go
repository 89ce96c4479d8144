package resync

import (
	"context"
	"errors"
	"fmt"

	"github.com/phoneprovd/phoneprovd/asterisk/ami"
)

// AMINotifier sends NOTIFYs with AMI: PJSIPNotify for PJSIP endpoints,
// SIPnotify for chan_sip peers (Asterisk ≤ 20).
type AMINotifier struct {
	Client *ami.Client
}

// Connected implements Notifier.
func (a AMINotifier) Connected() bool { return a.Client.Connected() }

// Notify implements Notifier.
func (a AMINotifier) Notify(ctx context.Context, n Notification) error {
	var err error
	if n.Tech == "SIP" {
		err = a.Client.SIPNotify(ctx, n.Endpoint, []string{"Event=" + n.Event})
	} else {
		var note ami.Notify
		if n.Option != "" {
			note.Option = n.Option
		} else {
			note.Variables = []string{"Event=" + n.Event}
		}
		if n.Endpoint == "" && n.URI != "" {
			err = a.Client.PJSIPNotifyURI(ctx, n.URI, note)
		} else {
			err = a.Client.PJSIPNotify(ctx, n.Endpoint, note)
		}
	}
	if errors.Is(err, ami.ErrNotConnected) || errors.Is(err, ami.ErrClosed) {
		return fmt.Errorf("%w: %w", ErrNotConnected, err)
	}
	return err
}
