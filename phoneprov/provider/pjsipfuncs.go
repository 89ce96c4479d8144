package provider

import (
	"fmt"
	"strings"

	"github.com/phoneprovd/phoneprovd/asterisk/pjsip"
	"github.com/phoneprovd/phoneprovd/asterisk/subst"
)

// endpointDefaults are res_pjsip defaults for options templates commonly
// read with PJSIP_ENDPOINT when pjsip.conf does not set them.
var endpointDefaults = map[string]string{
	"context":             "default",
	"dtmf_mode":           "rfc4733",
	"direct_media":        "true",
	"moh_suggest":         "default",
	"send_pai":            "false",
	"send_rpid":           "false",
	"language":            "",
	"mailboxes":           "",
	"voicemail_extension": "",
}

// PJSIPEndpointFunc is PJSIP_ENDPOINT(name,field) (func_pjsip_endpoint.c):
// an endpoint option's value, from pjsip.conf, else from the live
// Asterisk, else res_pjsip's default. An unknown endpoint is an error.
func PJSIPEndpointFunc(objs *pjsip.Objects, live LiveData) *subst.Func {
	return &subst.Func{
		Name: "PJSIP_ENDPOINT",
		Read: func(c *subst.Call, args string) (string, error) {
			if args == "" {
				return "", fmt.Errorf("cannot be called without arguments: %w", subst.ErrArgs)
			}
			parts := subst.SplitArgs(args, ',', 2, true)
			name, field := subst.Arg(parts, 0), subst.Arg(parts, 1)
			if name == "" || field == "" {
				return "", fmt.Errorf("needs an endpoint name and a field name: %w", subst.ErrArgs)
			}
			var ep *pjsip.Endpoint
			if objs != nil {
				ep = objs.Endpoints[name]
			}
			if ep != nil {
				if v, ok := ep.Field(field); ok {
					return v, nil
				}
			}
			var le LiveEndpoint
			var haveLive bool
			if live != nil {
				le, haveLive = live.Endpoint(name)
			}
			if haveLive {
				if v, ok := le.Fields[FieldKey(field)]; ok {
					return v, nil
				}
			}
			if ep == nil && !haveLive {
				return "", fmt.Errorf("failed to retrieve information for endpoint '%s'", name)
			}
			if field == "disallow" {
				return "!", nil
			}
			return endpointDefaults[strings.ToLower(field)], nil
		},
	}
}
