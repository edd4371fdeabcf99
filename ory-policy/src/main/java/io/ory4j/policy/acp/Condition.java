package io.ory4j.policy.acp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A condition of a policy, as Keto's JSON writes it: {@code {"type": "StringEqualCondition", "options": {...}}}.
 * The options hold JSON values (String, Boolean, Number, List, Map).
 *
 * @param type the condition type, e.g. {@code CIDRCondition}
 * @param options the type's options
 */
public record Condition(String type, Map<String, Object> options) {

  public Condition {
    Objects.requireNonNull(type, "type");
    options = options == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(options));
  }

  /** A condition of {@code type} with {@code options}. */
  public static Condition of(String type, Map<String, Object> options) {
    return new Condition(type, options);
  }

  /** {@code StringEqualCondition}: the context value is the string {@code equals}. */
  public static Condition stringEqual(String equals) {
    return of("StringEqualCondition", Map.of("equals", equals));
  }

  /** {@code StringMatchCondition}: the context value contains a match of the regular expression {@code matches}. */
  public static Condition stringMatch(String matches) {
    return of("StringMatchCondition", Map.of("matches", matches));
  }

  /** {@code CIDRCondition}: the context value is an IP address inside {@code cidr}. */
  public static Condition cidr(String cidr) {
    return of("CIDRCondition", Map.of("cidr", cidr));
  }

  /** {@code EqualsSubjectCondition}: the context value is the request's subject. */
  public static Condition equalsSubject() {
    return of("EqualsSubjectCondition", Map.of());
  }

  /** {@code StringPairsEqualCondition}: the context value is a non-empty list of equal pairs. */
  public static Condition stringPairsEqual() {
    return of("StringPairsEqualCondition", Map.of());
  }

  /** {@code ResourceContainsCondition}: the resource contains {@code value} between delimiters. */
  public static Condition resourceContains(String value, String delimiter) {
    return of("ResourceContainsCondition", Map.of("value", value, "delimiter", delimiter));
  }

  /** {@code BooleanCondition}: the context value is the boolean {@code value}. */
  public static Condition bool(boolean value) {
    return of("BooleanCondition", Map.of("value", value));
  }
}
