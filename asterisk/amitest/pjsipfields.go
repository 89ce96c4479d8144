package amitest

// The field lists below are the PJSIP objects as Asterisk 20.20.1 prints
// them in AMI (ast_sip_sorcery_object_to_ami), in its order: sorcery keeps
// an object's fields in a 29-bucket hash container keyed by the djb2 hash of
// the option name, and AMI walks it bucket by bucket. The orders and default
// values are those of golden/ami-session-pjsip.txt; the ContactList order
// was computed from the option names of res_pjsip/location.c the same way
// (no golden capture of PJSIPShowContacts exists).

// endpointDetailFields are the EndpointDetail fields after ObjectType and
// ObjectName, with the values of golden endpoint 7001. Fields taken from an
// Endpoint are replaced by endpointDetail.
var endpointDetailFields = []Field{
	{"RpidImmediate", "false"}, {"Webrtc", "no"}, {"Ignore183WithoutSdp", "false"},
	{"SendAoc", "false"}, {"DeviceStateBusyAt", "0"}, {"T38UdptlMaxdatagram", "0"},
	{"CodecPrefsIncomingAnswer", "prefer:pending, operation:intersect, keep:all, transcode:allow"},
	{"SecurityNegotiation", "no"}, {"DtlsRekey", "0"}, {"RtpPortEnd", "0"},
	{"NamedPickupGroup", ""}, {"DirectMediaMethod", "invite"}, {"SendRpid", "false"},
	{"PickupGroup", ""}, {"SdpSession", "Asterisk"}, {"DtlsVerify", "No"},
	{"MessageContext", ""}, {"Tenantid", ""}, {"Mailboxes", ""},
	{"RecordOnFeature", "automixmon"}, {"DtlsPrivateKey", ""}, {"DtlsFingerprint", "SHA-256"},
	{"OverlapContext", ""}, {"OutgoingCallOfferPref", "remote_merge"}, {"RtpPortStart", "0"},
	{"FromDomain", ""}, {"TimersSessExpires", "1800"}, {"NamedCallGroup", ""},
	{"DtlsCipher", ""}, {"MediaEncryptionOptimistic", "false"}, {"SuppressQ850ReasonHeaders", "false"},
	{"Aors", ""}, {"IdentifyBy", "username,ip"}, {"CalleridPrivacy", "allowed_not_screened"},
	{"MwiSubscribeReplacesUnsolicited", "no"}, {"CosAudio", "0"}, {"FollowEarlyMediaFork", "true"},
	{"Context", ""}, {"RtpSymmetric", "false"}, {"Transport", ""},
	{"MohSuggest", "default"}, {"T38Udptl", "false"}, {"FaxDetect", "false"},
	{"T38BindUdptlToMediaAddress", "false"}, {"TosVideo", "0"}, {"SrtpTag32", "false"},
	{"ReferBlindProgress", "true"}, {"MaxAudioStreams", "1"}, {"Bundle", "false"},
	{"UseAvpf", "false"}, {"CallGroup", ""}, {"SendConnectedLine", "yes"},
	{"FaxDetectTimeout", "0"}, {"SdpOwner", "-"}, {"ForceRport", "true"},
	{"CalleridTag", ""}, {"RtpTimeoutHold", "0"}, {"SuppressMohOnSendonly", "false"},
	{"UsePtime", "false"}, {"MediaAddress", ""}, {"VoicemailExtension", ""},
	{"RtpTimeout", "0"}, {"StirShaken", "no"}, {"SetVar", ""},
	{"ContactAcl", ""}, {"PreferredCodecOnly", "false"}, {"GeolocOutgoingCallProfile", ""},
	{"ForceAvp", "false"}, {"RecordOffFeature", "automixmon"}, {"FromUser", ""},
	{"SendDiversion", "true"}, {"SendHistoryInfo", "false"}, {"T38UdptlIpv6", "false"},
	{"ToneZone", ""}, {"Language", ""}, {"AllowSubscribe", "true"},
	{"RtpIpv6", "false"}, {"Callerid", ""}, {"MohPassthrough", "false"},
	{"CosVideo", "0"}, {"DtlsAutoGenerateCert", "No"}, {"AsymmetricRtpCodec", "false"},
	{"GeolocIncomingCallProfile", ""}, {"IceSupport", "false"}, {"AggregateMwi", "true"},
	{"OneTouchRecording", "false"}, {"MwiFromUser", ""}, {"RedirectMethod", "user"},
	{"Accountcode", ""},
	{"CodecPrefsOutgoingAnswer", "prefer:pending, operation:intersect, keep:all, transcode:allow"},
	{"Allow", ""}, {"RewriteContact", "false"}, {"UserEqPhone", "false"},
	{"RtpEngine", "asterisk"}, {"FollowRedirectMethods", ""}, {"SubscribeContext", ""},
	{"NotifyEarlyInuseRinging", "false"}, {"IncomingMwiMailbox", ""}, {"IncomingCallOfferPref", "local"},
	{"AllowUnauthenticatedOptions", "false"}, {"Auth", ""}, {"DirectMediaGlareMitigation", "none"},
	{"TrustIdInbound", "false"}, {"StirShakenProfile", ""}, {"BindRtpToMediaAddress", "false"},
	{"DisableDirectMediaOnNat", "false"}, {"MediaEncryption", "no"}, {"MediaUseReceivedTransport", "false"},
	{"AllowOverlap", "true"}, {"DtmfMode", "rfc4733"}, {"OutboundAuth", ""},
	{"TosAudio", "0"}, {"DtlsCertFile", ""}, {"DtlsCaPath", ""},
	{"DtlsSetup", "active"}, {"ConnectedLineMethod", "invite"}, {"G726NonStandard", "false"},
	{"100rel", "yes"}, {"Timers", "yes"}, {"DirectMedia", "true"},
	{"Acl", ""}, {"TimersMinSe", "90"}, {"TrustIdOutbound", "false"},
	{"SubMinExpiry", "0"}, {"RtcpMux", "false"}, {"MaxVideoStreams", "1"},
	{"AcceptMultipleSdpAnswers", "false"},
	{"CodecPrefsIncomingOffer", "prefer:pending, operation:intersect, keep:all, transcode:allow"},
	{"CodecPrefsOutgoingOffer", "prefer:pending, operation:union, keep:all, transcode:allow"},
	{"TrustConnectedLine", "yes"}, {"SendPai", "false"}, {"RtpKeepalive", "0"},
	{"T38UdptlEc", "none"}, {"T38UdptlNat", "false"}, {"AllowTransfer", "true"},
	{"DtlsCaFile", ""}, {"OutboundProxy", ""}, {"InbandProgress", "false"},
}

// transportDetailFields are the TransportDetail fields after ObjectType and
// ObjectName; Protocol and Bind come from the Transport.
var transportDetailFields = []Field{
	{"WebsocketWriteTimeout", "100"}, {"Cos", "0"}, {"TcpKeepaliveEnable", "false"},
	{"Protocol", ""}, {"SymmetricTransport", "false"}, {"Domain", ""},
	{"VerifyServer", "No"}, {"LocalNet", ""}, {"Bind", ""},
	{"AllowWildcardCerts", "No"}, {"TcpKeepaliveIntervalTime", "1"}, {"AsyncOperations", "1"},
	{"ExternalMediaAddress", ""}, {"Method", "unspecified"}, {"ExternalSignalingAddress", ""},
	{"RequireClientCert", "No"}, {"TcpKeepaliveIdleTime", "30"}, {"Tos", "0"},
	{"CaListPath", ""}, {"Cipher", ""}, {"CertFile", ""},
	{"ExternalSignalingPort", "0"}, {"Password", ""}, {"AllowReload", "false"},
	{"VerifyClient", "No"}, {"TcpKeepaliveProbeCount", "5"}, {"PrivKeyFile", ""},
	{"CaListFile", ""},
}

// withValues returns a copy of fields with the named values replaced.
func withValues(fields []Field, values map[string]string) []Field {
	out := make([]Field, len(fields))
	for i, f := range fields {
		if v, ok := values[f.Key]; ok {
			f.Value = v
		}
		out[i] = f
	}
	return out
}
