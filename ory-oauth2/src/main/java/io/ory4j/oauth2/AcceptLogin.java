package io.ory4j.oauth2;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The login app's answer that accepts a login ({@code PUT .../login/accept}).
 *
 * @param subject the authenticated subject (required)
 * @param remember remember the login in the login session cookie so later flows skip it
 * @param rememberFor seconds to remember it; 0 for as long as the cookie lives
 * @param acr the authentication context class
 * @param amr the authentication methods
 * @param context data passed on to the consent request
 * @param forceSubjectIdentifier a pairwise subject to use instead of {@code subject}
 */
public record AcceptLogin(@JsonProperty("subject") String subject, @JsonProperty("remember") boolean remember,
    @JsonProperty("remember_for") long rememberFor, @JsonProperty("acr") @Nullable String acr,
    @JsonProperty("amr") @Nullable List<String> amr, @JsonProperty("context") @Nullable Map<String, Object> context,
    @JsonProperty("force_subject_identifier") @Nullable String forceSubjectIdentifier) {

  public AcceptLogin {
    Objects.requireNonNull(subject, "subject");
    amr = amr == null ? List.of() : List.copyOf(amr);
    context = context == null ? Map.of() : context;
  }

  /** Accepts {@code subject} without remembering. */
  public static AcceptLogin subject(String subject) {
    return new AcceptLogin(subject, false, 0, null, null, null, null);
  }

  public AcceptLogin remember(long seconds) {
    return new AcceptLogin(subject, true, seconds, acr, amr, context, forceSubjectIdentifier);
  }
}
