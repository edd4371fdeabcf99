package io.ory4j.identity;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * A Kratos UI message ({@code ui.messages[]} or a node's {@code messages[]}): Kratos' numeric id, text and type, so a
 * UI written for Kratos translates ours the same way.
 *
 * @param id Kratos' message id, such as 4000006
 * @param text the English text Kratos shows
 * @param type {@code error}, {@code info} or {@code success}
 * @param context the values the text was made from
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record UiMessage(@JsonProperty("id") long id, @JsonProperty("text") String text,
    @JsonProperty("type") String type, @JsonProperty("context") Map<String, Object> context) {

  public UiMessage {
    context = context == null ? Map.of() : Map.copyOf(context);
  }

  public static UiMessage error(long id, String text) {
    return new UiMessage(id, text, "error", Map.of());
  }

  /** 4000006: unknown identifier or wrong password, the same for both so accounts cannot be enumerated. */
  public static UiMessage invalidCredentials() {
    return error(4000006, "The provided credentials are invalid, check for spelling mistakes in your password or "
        + "username, email address, or phone number.");
  }

  /** 4000007: the identifier is taken. */
  public static UiMessage duplicateIdentifier() {
    return error(4000007, "An account with the same identifier (email, phone, username, ...) exists already.");
  }

  /** 4000005: the password policy refused the password. */
  public static UiMessage passwordPolicy(String reason) {
    return new UiMessage(4000005, "The password can not be used because " + reason + ".", "error",
        Map.of("reason", reason));
  }

  /** 4000031: too similar to the identifier. */
  public static UiMessage passwordTooSimilar() {
    return error(4000031, "The password can not be used because it is too similar to the identifier.");
  }

  /** 4000034: found in data breaches. */
  public static UiMessage passwordBreached() {
    return error(4000034, "The password has been found in data breaches and must no longer be used.");
  }

  /** 4000900 (ory4j, beyond Kratos): too many failed logins for this identifier. */
  public static UiMessage loginThrottled(long retryAfterSeconds) {
    return new UiMessage(4000900, "Too many failed login attempts; try again in " + retryAfterSeconds + " seconds.",
        "error", Map.of("retry_after_seconds", retryAfterSeconds));
  }
}
