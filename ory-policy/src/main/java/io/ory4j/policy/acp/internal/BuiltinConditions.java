package io.ory4j.policy.acp.internal;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.ory4j.policy.acp.spi.ConditionType;
import io.ory4j.policy.acp.spi.InvalidConditionException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The conditions Keto v0.5's Rego programs define, with their semantics (a value of the wrong type, or a missing key,
 * makes the condition false). Options a condition can never use are refused when a policy is written.
 */
public final class BuiltinConditions {

  private BuiltinConditions() {}

  /** Every built-in type by name. */
  public static Map<String, ConditionType> all() {
    Map<String, ConditionType> m = new LinkedHashMap<>();
    m.put("StringEqualCondition", BuiltinConditions::stringEqual);
    m.put("StringMatchCondition", BuiltinConditions::stringMatch);
    m.put("CIDRCondition", BuiltinConditions::cidr);
    m.put("EqualsSubjectCondition", o -> c -> c.value() instanceof String s && s.equals(c.request().subject()));
    m.put("StringPairsEqualCondition", o -> c -> stringPairsEqual(c.value()));
    m.put("ResourceContainsCondition", BuiltinConditions::resourceContains);
    m.put("BooleanCondition", BuiltinConditions::bool);
    m.put("TimeInterval", BuiltinConditions::timeInterval);
    return m;
  }

  private static String requireString(Map<String, Object> options, String name) {
    Object v = options.get(name);
    if (!(v instanceof String s)) {
      throw new InvalidConditionException(name, v == null ? "is required and must be a string" : "must be a string");
    }
    return s;
  }

  static ConditionType.Predicate stringEqual(Map<String, Object> options) {
    String equals = requireString(options, "equals");
    return c -> c.value() instanceof String s && s.equals(equals);
  }

  static ConditionType.Predicate stringMatch(Map<String, Object> options) {
    String matches = requireString(options, "matches");
    Pattern p;
    try {
      p = Pattern.compile(matches);
    } catch (PatternSyntaxException e) {
      throw new InvalidConditionException("matches", "is not a valid regular expression: " + e.getDescription());
    }
    // Go's regexp.MatchString: a match anywhere in the value
    return c -> c.value() instanceof String s && p.matcher(s).find();
  }

  static ConditionType.Predicate cidr(Map<String, Object> options) {
    String cidr = requireString(options, "cidr");
    IpAddresses.Network net = IpAddresses.parseCidr(cidr);
    if (net == null) {
      throw new InvalidConditionException("cidr", "is not a CIDR block such as 192.168.0.0/16 or 2001:db8::/32");
    }
    return c -> {
      if (!(c.value() instanceof String s)) {
        return false;
      }
      byte[] ip = IpAddresses.parseIp(s);
      return ip != null && net.contains(ip);
    };
  }

  static boolean stringPairsEqual(Object value) {
    if (!(value instanceof List<?> list) || list.isEmpty()) {
      return false;
    }
    for (Object o : list) {
      if (!(o instanceof List<?> pair) || pair.size() != 2 || !jsonEquals(pair.get(0), pair.get(1))) {
        return false;
      }
    }
    return true;
  }

  static ConditionType.Predicate resourceContains(Map<String, Object> options) {
    String value = optionalString(options, "value");
    String delimiter = optionalString(options, "delimiter");
    String needle = delimiter + value + delimiter;
    return c -> (delimiter + c.request().resource() + delimiter).contains(needle);
  }

  private static String optionalString(Map<String, Object> options, String name) {
    Object v = options.get(name);
    if (v == null || Boolean.FALSE.equals(v)) {
      return "";
    }
    if (!(v instanceof String s)) {
      throw new InvalidConditionException(name, "must be a string");
    }
    return s;
  }

  static ConditionType.Predicate bool(Map<String, Object> options) {
    Object v = options.get("value");
    if (!(v instanceof Boolean b)) {
      throw new InvalidConditionException("value", v == null ? "is required and must be a boolean"
          : "must be a boolean");
    }
    return c -> b.equals(c.value());
  }

  static ConditionType.Predicate timeInterval(Map<String, Object> options) {
    BigDecimal after = number(options, "after");
    BigDecimal before = number(options, "before");
    return c -> {
      BigDecimal v = c.value() instanceof Number n ? decimal(n) : null;
      return v != null && after.compareTo(v) <= 0 && v.compareTo(before) < 0;
    };
  }

  private static BigDecimal number(Map<String, Object> options, String name) {
    if (!(options.get(name) instanceof Number n) || decimal(n) == null) {
      throw new InvalidConditionException(name, "is required and must be a number");
    }
    return decimal(n);
  }

  private static BigDecimal decimal(Number n) {
    try {
      return n instanceof BigDecimal d ? d : new BigDecimal(n.toString());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Rego's equality on JSON values: numbers by value. */
  static boolean jsonEquals(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      BigDecimal dx = decimal(x);
      BigDecimal dy = decimal(y);
      return dx != null && dy != null && dx.compareTo(dy) == 0;
    }
    return Objects.equals(a, b);
  }
}
