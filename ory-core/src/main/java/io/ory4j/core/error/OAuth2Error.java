package io.ory4j.core.error;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An RFC 6749 error ({@code error}, {@code error_description}) with the {@code error_hint} and {@code error_debug}
 * that Hydra (fosite) adds, and the HTTP status it is sent with.
 *
 * @param error the RFC 6749 error code, such as {@code invalid_request}
 * @param description the human-readable description
 * @param hint an optional hint that helps the client fix the request
 * @param debug optional debug information, only sent when the provider exposes it
 * @param status the HTTP status
 */
public record OAuth2Error(String error, String description, @Nullable String hint, @Nullable String debug,
    int status) {

  public OAuth2Error {
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(description, "description");
    if (error.isEmpty() || !error.chars().allMatch(c -> c >= 0x20 && c <= 0x7e && c != '"' && c != '\\')) {
      throw new IllegalArgumentException("error code must be printable ASCII without quote or backslash (RFC 6749 5.2)");
    }
  }

  public OAuth2Error withHint(@Nullable String newHint) {
    return new OAuth2Error(error, description, newHint, debug, status);
  }

  public OAuth2Error withDebug(@Nullable String newDebug) {
    return new OAuth2Error(error, description, hint, newDebug, status);
  }

  public OAuth2Error withStatus(int newStatus) {
    return new OAuth2Error(error, description, hint, debug, newStatus);
  }

  /**
   * The description as Hydra sends it by default: the description followed by the hint, in one
   * {@code error_description}, since Hydra does not include legacy error fields unless configured to.
   */
  public String descriptionWithHint() {
    return hint == null || hint.isBlank() ? description : description + " " + hint;
  }
}
