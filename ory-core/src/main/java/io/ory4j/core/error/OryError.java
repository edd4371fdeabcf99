package io.ory4j.core.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The body of Ory's error JSON, {@code {"error": {...}}}: the fields Ory's Go servers write (herodot's
 * {@code DefaultError}).
 *
 * @param id an optional machine-readable error id (Kratos uses ids such as {@code session_inactive})
 * @param code the HTTP status code
 * @param status the HTTP status text
 * @param reason a human-readable hint about why the error happened
 * @param message the error message
 * @param request the request id, when the request carried one
 * @param details additional structured details
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record OryError(
    @Nullable String id,
    int code,
    String status,
    @Nullable String reason,
    String message,
    @Nullable String request,
    Map<String, Object> details) {

  public OryError {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(message, "message");
    details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    if (code < 100 || code > 599) {
      throw new IllegalArgumentException("code must be an HTTP status, was " + code);
    }
  }

  /** An error with the standard status text for {@code code}. */
  public static OryError of(int code, String message) {
    return new OryError(null, code, HttpStatusText.of(code), null, message, null, Map.of());
  }

  public OryError withReason(@Nullable String newReason) {
    return new OryError(id, code, status, newReason, message, request, details);
  }

  public OryError withId(@Nullable String newId) {
    return new OryError(newId, code, status, reason, message, request, details);
  }

  public OryError withRequest(@Nullable String newRequest) {
    return new OryError(id, code, status, reason, message, newRequest, details);
  }

  public OryError withDetail(String key, Object value) {
    Map<String, Object> d = new LinkedHashMap<>(details);
    d.put(key, value);
    return new OryError(id, code, status, reason, message, request, d);
  }

  /** The envelope Ory writes: {@code {"error": this}}. */
  public Envelope envelope() {
    return new Envelope(this);
  }

  /** Ory's error envelope. */
  public record Envelope(@JsonProperty("error") OryError error) {}
}
