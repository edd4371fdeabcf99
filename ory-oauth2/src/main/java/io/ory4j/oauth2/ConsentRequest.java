package io.ory4j.oauth2;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A consent request as the consent app reads it ({@code GET /admin/oauth2/auth/requests/consent}). */
public record ConsentRequest(@JsonProperty("challenge") String challenge,
    @JsonProperty("requested_scope") List<String> requestedScope,
    @JsonProperty("requested_access_token_audience") List<String> requestedAudience,
    @JsonProperty("skip") boolean skip, @JsonProperty("subject") String subject,
    @JsonProperty("oidc_context") Map<String, Object> oidcContext, @JsonProperty("client") OAuth2Client client,
    @JsonProperty("request_url") String requestUrl, @JsonProperty("login_challenge") String loginChallenge,
    @JsonProperty("login_session_id") @Nullable String loginSessionId, @JsonProperty("acr") String acr,
    @JsonProperty("amr") List<String> amr, @JsonProperty("context") Map<String, Object> context) {}
