package io.ory4j.oauth2.spi;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TokenExchangePolicy}'s answer; a refusal names the RFC 8693 section 2.2.2 error the client gets.
 *
 * @param outcome permit, or the error to answer with
 * @param reason the error hint shown to the client, or null
 */
public record TokenExchangeDecision(Outcome outcome, @Nullable String reason) {

  /** Permit, or refuse with one of RFC 8693's errors. */
  public enum Outcome {
    PERMIT,
    /** {@code invalid_request}: the tokens are unacceptable based on policy. */
    INVALID_REQUEST,
    /** {@code invalid_target}: no token for this audience or resource. */
    INVALID_TARGET,
    /** {@code unauthorized_client}: this client may not make this exchange. */
    UNAUTHORIZED_CLIENT
  }

  public TokenExchangeDecision {
    Objects.requireNonNull(outcome, "outcome");
  }

  public static TokenExchangeDecision permit() {
    return new TokenExchangeDecision(Outcome.PERMIT, null);
  }

  public static TokenExchangeDecision invalidRequest(String reason) {
    return new TokenExchangeDecision(Outcome.INVALID_REQUEST, reason);
  }

  public static TokenExchangeDecision invalidTarget(String reason) {
    return new TokenExchangeDecision(Outcome.INVALID_TARGET, reason);
  }

  public static TokenExchangeDecision unauthorizedClient(String reason) {
    return new TokenExchangeDecision(Outcome.UNAUTHORIZED_CLIENT, reason);
  }
}
