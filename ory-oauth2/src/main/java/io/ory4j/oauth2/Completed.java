package io.ory4j.oauth2;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/** Where the login, consent or logout app sends the browser next ({@code {"redirect_to": ...}}). */
public record Completed(@JsonProperty("redirect_to") String redirectTo) {
  public Completed {
    Objects.requireNonNull(redirectTo, "redirectTo");
  }
}
