package io.ory4j.oauth2;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/** An OAuth 2.0 client identifier ({@code client_id}). */
public record ClientId(String value) {

  /** The longest client id (what an indexed column holds on MySQL with utf8mb4). */
  public static final int MAX_LENGTH = 191;

  public ClientId {
    Objects.requireNonNull(value, "value");
    if (value.isEmpty() || value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("client_id must have 1 to " + MAX_LENGTH + " characters");
    }
  }

  /** True when {@code value} is a possible client id. */
  public static boolean isValid(String value) {
    return !value.isEmpty() && value.length() <= MAX_LENGTH;
  }

  @JsonCreator
  public static ClientId of(String value) {
    return new ClientId(value);
  }

  @JsonValue
  @Override
  public String value() {
    return value;
  }

  @Override
  public String toString() {
    return value;
  }
}
