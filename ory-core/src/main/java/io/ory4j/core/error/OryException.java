package io.ory4j.core.error;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The one exception every ory4j module throws for an error a caller should see. It carries an {@link OryError}
 * and renders in either format: as Ory's error JSON, or (through {@link #toOAuth2Error()}) as an RFC 6749 error.
 * Protocol-specific subclasses add what picks the response channel (for OAuth 2.0, the redirect URI and state).
 *
 * <p>The message of the exception is safe to show to a client; nothing secret goes into it. The cause is kept for
 * logs only and never rendered.
 */
public class OryException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient OryError error;

  public OryException(OryError error) {
    this(error, null);
  }

  public OryException(OryError error, @Nullable Throwable cause) {
    super(Objects.requireNonNull(error, "error").message(), cause, false, cause != null);
    this.error = error;
  }

  /** The Ory error value. */
  public OryError error() {
    return error;
  }

  /** The HTTP status. */
  public int status() {
    return error.code();
  }

  /** The same error as an RFC 6749 error, for endpoints that speak OAuth 2.0. */
  public OAuth2Error toOAuth2Error() {
    String code = switch (error.code()) {
      case 401 -> "invalid_client";
      case 403 -> "request_forbidden";
      case 404 -> "not_found";
      case 409 -> "conflict";
      case 503 -> "temporarily_unavailable";
      default -> error.code() >= 500 ? "server_error" : "invalid_request";
    };
    return new OAuth2Error(code, error.message(), error.reason(), null, error.code());
  }

  /** A copy with a reason (Ory's hint). */
  public OryException withReason(@Nullable String reason) {
    return copy(error.withReason(reason), getCause());
  }

  /** A copy with a machine-readable id. */
  public OryException withId(@Nullable String id) {
    return copy(error.withId(id), getCause());
  }

  /** A copy with one more detail. */
  public OryException withDetail(String key, Object value) {
    return copy(error.withDetail(key, value), getCause());
  }

  /** A copy that keeps {@code cause} for logs. */
  public OryException withCause(@Nullable Throwable cause) {
    return copy(error, cause);
  }

  /** Subclasses return their own type from the {@code with} methods. */
  protected OryException copy(OryError newError, @Nullable Throwable cause) {
    return new OryException(newError, cause);
  }

  public static OryException of(int status, String message) {
    return new OryException(OryError.of(status, message));
  }

  public static OryException badRequest(String message) {
    return of(400, message);
  }

  public static OryException unauthorized(String message) {
    return of(401, message);
  }

  public static OryException forbidden(String message) {
    return of(403, message);
  }

  public static OryException notFound(String message) {
    return of(404, message);
  }

  public static OryException conflict(String message) {
    return of(409, message);
  }

  public static OryException internal(String message) {
    return of(500, message);
  }

  public static OryException unavailable(String message) {
    return of(503, message);
  }

  /** A 400 error that names an invalid field, with the field in the details. */
  public static OryException invalidField(String field, String reason) {
    return new OryException(OryError.of(400, "The request was malformed or contained invalid parameters")
        .withReason("field \"" + field + "\": " + reason)
        .withDetail("field", field));
  }
}
