package io.ory4j.oauth2.spi;

import java.util.Objects;

/** An error the login or consent app answered with (Hydra's reject body). */
public record FlowError(String error, String description, String hint, String debug, int statusCode) {
  public FlowError {
    Objects.requireNonNull(error, "error");
    description = description == null ? "" : description;
    hint = hint == null ? "" : hint;
    debug = debug == null ? "" : debug;
  }
}
