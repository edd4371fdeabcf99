package io.ory4j.oauth2;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/** An OAuth 2.0 client identifier ({@code client_id}). */
public record ClientId(String value) {

  public ClientId {
    Objects.requireNonNull(value, "value");
    if (value.isEmpty() || value.length() > 255) {
      throw new IllegalArgumentException("client_id must have 1 to 255 characters");
    }
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
