package aritest

// The field lists below are what GET /ari/asterisk/config/dynamic/res_pjsip/
// <type>/<id> returns for PJSIP objects of Asterisk 20.20.1: every option
// registered with a to-string handler (ast_sorcery_objectset_create in
// main/sorcery.c; aliases such as "disallow", and options without one such
// as "type", "permit" and "deny", are left out). Sorcery keeps an object
// type's fields in a 29-bucket hash container keyed by the djb2 hash of the
// option name (ast_str_hash; OBJECT_FIELD_BUCKETS), so the reply walks them
// bucket by bucket and, within a bucket, in registration order. The names
// and registration order were read from res/res_pjsip/pjsip_configuration.c,
// config_auth.c and config_transport.c; the resulting order and the default
// values agree with the AMI EndpointDetail, AuthDetail and TransportDetail
// of golden/ami-session-pjsip.txt, which print the same objectset.
// contact_user and security_mechanisms are absent as in that capture: their
// to-string handlers fail while unset. The values shown are the golden
// objects' (endpoint 7001, auth 7001, transport transport-udp); the fields an
// Endpoint, Auth or Transport carries replace them.

// field is one attribute/value tuple of a dynamic configuration reply.
type field struct {
	Attribute, Value string
}

// endpointFields are a res_pjsip endpoint's attributes in reply order.
var endpointFields = []field{
	{"rpid_immediate", "false"}, {"webrtc", "no"}, {"ignore_183_without_sdp", "false"},
	{"send_aoc", "false"}, {"device_state_busy_at", "0"}, {"t38_udptl_maxdatagram", "0"},
	{"codec_prefs_incoming_answer", "prefer:pending, operation:intersect, keep:all, transcode:allow"},
	{"security_negotiation", "no"}, {"dtls_rekey", "0"}, {"rtp_port_end", "0"},
	{"named_pickup_group", ""}, {"direct_media_method", "invite"}, {"send_rpid", "false"},
	{"pickup_group", ""}, {"sdp_session", "Asterisk"}, {"dtls_verify", "No"},
	{"message_context", ""}, {"tenantid", ""}, {"mailboxes", ""},
	{"record_on_feature", "automixmon"}, {"dtls_private_key", ""}, {"dtls_fingerprint", "SHA-256"},
	{"overlap_context", ""}, {"outgoing_call_offer_pref", "remote_merge"}, {"rtp_port_start", "0"},
	{"from_domain", ""}, {"timers_sess_expires", "1800"}, {"named_call_group", ""},
	{"dtls_cipher", ""}, {"media_encryption_optimistic", "false"},
	{"suppress_q850_reason_headers", "false"}, {"aors", ""}, {"identify_by", "username,ip"},
	{"callerid_privacy", "allowed_not_screened"}, {"mwi_subscribe_replaces_unsolicited", "no"},
	{"cos_audio", "0"}, {"follow_early_media_fork", "true"}, {"context", "default"},
	{"rtp_symmetric", "false"}, {"transport", ""}, {"moh_suggest", "default"},
	{"t38_udptl", "false"}, {"fax_detect", "false"}, {"t38_bind_udptl_to_media_address", "false"},
	{"tos_video", "0"}, {"srtp_tag_32", "false"}, {"refer_blind_progress", "true"},
	{"max_audio_streams", "1"}, {"bundle", "false"}, {"use_avpf", "false"}, {"call_group", ""},
	{"send_connected_line", "yes"}, {"fax_detect_timeout", "0"}, {"sdp_owner", "-"},
	{"force_rport", "true"}, {"callerid_tag", ""}, {"rtp_timeout_hold", "0"},
	{"suppress_moh_on_sendonly", "false"}, {"use_ptime", "false"}, {"media_address", ""},
	{"voicemail_extension", ""}, {"rtp_timeout", "0"}, {"stir_shaken", "no"}, {"set_var", ""},
	{"contact_acl", ""}, {"preferred_codec_only", "false"}, {"geoloc_outgoing_call_profile", ""},
	{"force_avp", "false"}, {"record_off_feature", "automixmon"}, {"from_user", ""},
	{"send_diversion", "true"}, {"send_history_info", "false"}, {"t38_udptl_ipv6", "false"},
	{"tone_zone", ""}, {"language", ""}, {"allow_subscribe", "true"}, {"rtp_ipv6", "false"},
	{"callerid", ""}, {"moh_passthrough", "false"}, {"cos_video", "0"},
	{"dtls_auto_generate_cert", "No"}, {"asymmetric_rtp_codec", "false"},
	{"geoloc_incoming_call_profile", ""}, {"ice_support", "false"}, {"aggregate_mwi", "true"},
	{"one_touch_recording", "false"}, {"mwi_from_user", ""}, {"redirect_method", "user"},
	{"accountcode", ""},
	{"codec_prefs_outgoing_answer", "prefer:pending, operation:intersect, keep:all, transcode:allow"},
	{"allow", ""}, {"rewrite_contact", "false"}, {"user_eq_phone", "false"},
	{"rtp_engine", "asterisk"}, {"follow_redirect_methods", ""}, {"subscribe_context", ""},
	{"notify_early_inuse_ringing", "false"}, {"incoming_mwi_mailbox", ""},
	{"incoming_call_offer_pref", "local"}, {"allow_unauthenticated_options", "false"},
	{"auth", ""}, {"direct_media_glare_mitigation", "none"}, {"trust_id_inbound", "false"},
	{"stir_shaken_profile", ""}, {"bind_rtp_to_media_address", "false"},
	{"disable_direct_media_on_nat", "false"}, {"media_encryption", "no"},
	{"media_use_received_transport", "false"}, {"allow_overlap", "true"}, {"dtmf_mode", "rfc4733"},
	{"outbound_auth", ""}, {"tos_audio", "0"}, {"dtls_cert_file", ""}, {"dtls_ca_path", ""},
	{"dtls_setup", "active"}, {"connected_line_method", "invite"}, {"g726_non_standard", "false"},
	{"100rel", "yes"}, {"timers", "yes"}, {"direct_media", "true"}, {"acl", ""},
	{"timers_min_se", "90"}, {"trust_id_outbound", "false"}, {"sub_min_expiry", "0"},
	{"rtcp_mux", "false"}, {"max_video_streams", "1"}, {"accept_multiple_sdp_answers", "false"},
	{"codec_prefs_incoming_offer", "prefer:pending, operation:intersect, keep:all, transcode:allow"},
	{"codec_prefs_outgoing_offer", "prefer:pending, operation:union, keep:all, transcode:allow"},
	{"trust_connected_line", "yes"}, {"send_pai", "false"}, {"rtp_keepalive", "0"},
	{"t38_udptl_ec", "none"}, {"t38_udptl_nat", "false"}, {"allow_transfer", "true"},
	{"dtls_ca_file", ""}, {"outbound_proxy", ""}, {"inband_progress", "false"},
}

// authFields are a res_pjsip auth's attributes in reply order.
var authFields = []field{
	{"oauth_secret", ""}, {"password_digest", ""}, {"supported_algorithms_uas", "MD5"},
	{"refresh_token", ""}, {"username", ""}, {"md5_cred", ""}, {"realm", ""},
	{"auth_type", "userpass"}, {"password", ""}, {"supported_algorithms_uac", "MD5"},
	{"nonce_lifetime", "32"}, {"oauth_clientid", ""},
}

// transportFields are a res_pjsip transport's attributes in reply order.
var transportFields = []field{
	{"websocket_write_timeout", "100"}, {"cos", "0"}, {"tcp_keepalive_enable", "false"},
	{"protocol", "udp"}, {"symmetric_transport", "false"}, {"domain", ""}, {"verify_server", "No"},
	{"local_net", ""}, {"bind", ""}, {"allow_wildcard_certs", "No"},
	{"tcp_keepalive_interval_time", "1"}, {"async_operations", "1"},
	{"external_media_address", ""}, {"method", "unspecified"}, {"external_signaling_address", ""},
	{"require_client_cert", "No"}, {"tcp_keepalive_idle_time", "30"}, {"tos", "0"},
	{"ca_list_path", ""}, {"cipher", ""}, {"cert_file", ""}, {"external_signaling_port", "0"},
	{"password", ""}, {"allow_reload", "false"}, {"verify_client", "No"},
	{"tcp_keepalive_probe_count", "5"}, {"priv_key_file", ""}, {"ca_list_file", ""},
}

// withFieldValues returns a copy of fields with the named values replaced.
func withFieldValues(fields []field, values map[string]string) []field {
	out := make([]field, len(fields))
	for i, f := range fields {
		if v, ok := values[f.Attribute]; ok {
			f.Value = v
		}
		out[i] = f
	}
	return out
}
