package io.ory4j.policy.relations.opl;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * A syntax or type error in an OPL document, in the JSON shape of Keto's {@code /opl/syntax/check}.
 *
 * @param message what is wrong
 * @param start where it starts (1-based line and column)
 * @param end where it ends
 */
public record OplError(String message, Position start, Position end) {

  public OplError {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
  }

  /** A source position; Keto's JSON spells the line field {@code Line}. */
  public record Position(@JsonProperty("Line") int line, @JsonProperty("column") int column) {}

  @Override
  public String toString() {
    return "parse error at " + start.line() + ":" + start.column() + ": " + message;
  }
}
