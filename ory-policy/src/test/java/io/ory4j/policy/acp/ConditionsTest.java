package io.ory4j.policy.acp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.policy.acp.internal.BuiltinConditions;
import io.ory4j.policy.acp.spi.ConditionContext;
import io.ory4j.policy.acp.spi.ConditionType;
import io.ory4j.policy.acp.spi.InvalidConditionException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The vectors of Keto v0.5's Rego condition tests, plus the edge cases. */
class ConditionsTest {

  private static final Map<String, ConditionType> TYPES = BuiltinConditions.all();

  private static boolean eval(String type, Map<String, Object> options, String key, Map<String, Object> context) {
    return eval(type, options, key, context, "some-subject", "");
  }

  private static boolean eval(String type, Map<String, Object> options, String key, Map<String, Object> context,
      String subject, String resource) {
    AccessRequest r = new AccessRequest(Flavor.EXACT, subject, resource, "a", context);
    return TYPES.get(type).compile(options).test(new ConditionContext(key, r));
  }

  private static Map<String, Object> ctx(String k, Object v) {
    Map<String, Object> m = new HashMap<>();
    m.put(k, v);
    return m;
  }

  @Test
  void stringEqualWhenValueEqualsThenTrue() {
    Map<String, Object> o = Map.of("equals", "the-value-should-be-this");
    assertTrue(eval("StringEqualCondition", o, "foobar", ctx("foobar", "the-value-should-be-this")));
    assertFalse(eval("StringEqualCondition", o, "foobar", ctx("not-foobar", "the-value-should-be-this")));
    assertFalse(eval("StringEqualCondition", Map.of("equals", "not-the-value"), "foobar",
        ctx("foobar", "the-value-should-be-this")));
  }

  @Test
  void stringEqualWhenContextValueNotStringThenFalse() {
    assertFalse(eval("StringEqualCondition", Map.of("equals", "1234"), "foobar", ctx("foobar", 1234)));
    assertFalse(eval("StringEqualCondition", Map.of("equals", "x"), "foobar", ctx("foobar", null)));
  }

  @Test
  void compileWhenStringEqualOptionMissingOrNotStringThenInvalidNamingOption() {
    InvalidConditionException e = assertThrows(InvalidConditionException.class,
        () -> TYPES.get("StringEqualCondition").compile(Map.of("not-equals", "x")));
    assertEquals("equals", e.option());
    assertThrows(InvalidConditionException.class,
        () -> TYPES.get("StringEqualCondition").compile(Map.of("equals", 1234)));
  }

  @Test
  void stringMatchWhenMatchAnywhereThenTrue() {
    assertTrue(eval("StringMatchCondition", Map.of("matches", ".*"), "foobar", ctx("foobar", "abc")));
    assertTrue(eval("StringMatchCondition", Map.of("matches", "abc.*"), "foobar", ctx("foobar", "abc")));
    assertTrue(eval("StringMatchCondition", Map.of("matches", "b"), "foobar", ctx("foobar", "abc")));
    assertFalse(eval("StringMatchCondition", Map.of("matches", ".+"), "foobar", ctx("not-foobar", "abc")));
    assertFalse(eval("StringMatchCondition", Map.of("matches", "abc.+"), "foobar", ctx("foobar", "abc")));
    assertFalse(eval("StringMatchCondition", Map.of("matches", ".*"), "foobar", ctx("foobar", 12)));
  }

  @Test
  void compileWhenStringMatchInvalidRegexThenInvalid() {
    InvalidConditionException e = assertThrows(InvalidConditionException.class,
        () -> TYPES.get("StringMatchCondition").compile(Map.of("matches", "(")));
    assertEquals("matches", e.option());
  }

  @ParameterizedTest(name = "{0} in {1} = {2}")
  @CsvSource(delimiter = '|', value = {
      "192.168.178.0|192.168.178.0/16|true",
      "192.168.178.1|192.168.178.0/16|true",
      "92.168.178.1|192.168.178.0/16|false",
      "10.0.0.1|0.0.0.0/0|true",
      "10.0.0.1|10.0.0.1/32|true",
      "10.0.0.2|10.0.0.1/32|false",
      "2001:db8::1|2001:db8::/32|true",
      "2001:db9::1|2001:db8::/32|false",
      "::1|::1/128|true",
      "::ffff:192.168.1.1|192.168.0.0/16|true",
      "192.168.1.1|::ffff:192.168.0.0/112|true",
      "192.168.1.1|2001:db8::/32|false",
      "2001:db8::1|0.0.0.0/0|false",
      "not-an-ip|10.0.0.0/8|false",
      "010.0.0.1|10.0.0.0/8|false",
      "10.0.0.256|10.0.0.0/8|false",
      "fe80::1%eth0|fe80::/10|false",
      "[::1]|::/0|false",
      "''|10.0.0.0/8|false"})
  void cidrWhenAddressThenContainedAsGo(String ip, String cidr, boolean expected) {
    assertEquals(expected, eval("CIDRCondition", Map.of("cidr", cidr), "ip", ctx("ip", ip)));
  }

  @Test
  void cidrWhenKeyMissingOrNotStringThenFalse() {
    Map<String, Object> o = Map.of("cidr", "192.168.178.0/16");
    assertFalse(eval("CIDRCondition", o, "foobar2", ctx("foobar", "192.168.178.1")));
    assertFalse(eval("CIDRCondition", o, "foobar", ctx("foobar", 19216817801L)));
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"192.168.0.0", "192.168.0.0/33", "192.168.0/16",
      "10.0.0.0/-1", "2001:db8::/129", "zzz::/8", "10.0.0.0/08", "example.com/8", "/8"})
  void compileWhenCidrMalformedThenInvalid(String cidr) {
    InvalidConditionException e = assertThrows(InvalidConditionException.class,
        () -> TYPES.get("CIDRCondition").compile(Map.of("cidr", cidr)));
    assertEquals("cidr", e.option());
  }

  @Test
  void equalsSubjectWhenContextValueIsSubjectThenTrue() {
    assertTrue(eval("EqualsSubjectCondition", Map.of(), "foobar", ctx("foobar", "some-subject")));
    assertFalse(eval("EqualsSubjectCondition", Map.of(), "foobar", ctx("foobar", "not-some-subject")));
    assertFalse(eval("EqualsSubjectCondition", Map.of(), "foobar", ctx("not-foobar", "some-subject")));
  }

  @Test
  void stringPairsEqualWhenEveryPairEqualThenTrue() {
    String t = "StringPairsEqualCondition";
    assertFalse(eval(t, Map.of(), "foobar", Map.of()));
    assertFalse(eval(t, Map.of(), "foobar", ctx("foobar", List.of())));
    assertFalse(eval(t, Map.of(), "foobar", ctx("foobar", List.of(List.of()))));
    assertFalse(eval(t, Map.of(), "foobar", ctx("foobar", List.of(List.of("1")))));
    assertFalse(eval(t, Map.of(), "foobar", ctx("foobar", List.of(List.of("1", "2")))));
    assertFalse(eval(t, Map.of(), "foobar", ctx("foobar", List.of(List.of("1", "1", "2")))));
    assertFalse(eval(t, Map.of(), "foobar", ctx("foobar", List.of(List.of("1", "1"), List.of("2", "3")))));
    assertTrue(eval(t, Map.of(), "foobar", ctx("foobar", List.of(List.of("1", "1"), List.of("2", "2")))));
    assertTrue(eval(t, Map.of(), "foobar", ctx("foobar", List.of(List.of("1", "1")))));
    assertFalse(eval(t, Map.of(), "foobar", ctx("foobar", List.of(List.of("1", "1"), "x"))));
    assertFalse(eval(t, Map.of(), "foobar", ctx("foobar", "11")));
  }

  @Test
  void resourceContainsWhenValueBetweenDelimitersThenTrue() {
    String t = "ResourceContainsCondition";
    Object[][] cases = {
        {"foo:bar", ":", "foo:ba", false}, {"foo:bar", ":", "foo:bar", true}, {"foo:bar:baz", ":", "foo:bar", true},
        {"foo:bar:baz", ":", "foo:baz", false}, {"foo:bar:baz", ":", "bar:baz", true},
        {"foo:bar:baz", ":", "bar", true}, {"baz:foo:baz", ":", "bar", false}, {"foo:bar", null, "foo:ba", true},
        {"foo:bar", null, "foo:bar", true}, {"foo:baz", null, "foo:bar", false}, {"abc", ":", "", false},
        {"foo:bar:baz", null, "bar", true}, {"baz:foo:baz", null, "bar", false}};
    for (Object[] c : cases) {
      Map<String, Object> o = new HashMap<>();
      o.put("value", c[2]);
      if (c[1] != null) {
        o.put("delimiter", c[1]);
      }
      assertEquals(c[3], eval(t, o, "", Map.of(), "s", (String) c[0]), Arrays.toString(c));
    }
  }

  @Test
  void booleanWhenContextBooleanEqualsThenTrue() {
    assertTrue(eval("BooleanCondition", Map.of("value", false), "foobar", ctx("foobar", false)));
    assertTrue(eval("BooleanCondition", Map.of("value", true), "foobar", ctx("foobar", true)));
    assertFalse(eval("BooleanCondition", Map.of("value", true), "foobar", ctx("foobar", false)));
    assertFalse(eval("BooleanCondition", Map.of("value", false), "foobar", ctx("foobar", true)));
    assertFalse(eval("BooleanCondition", Map.of("value", false), "foobar", ctx("not-foobar", true)));
    assertFalse(eval("BooleanCondition", Map.of("value", true), "foobar", ctx("foobar", "true")));
    assertThrows(InvalidConditionException.class,
        () -> TYPES.get("BooleanCondition").compile(Map.of("not-value", false)));
    assertThrows(InvalidConditionException.class,
        () -> TYPES.get("BooleanCondition").compile(Map.of("value", "true")));
  }

  @Test
  void timeIntervalWhenValueInHalfOpenIntervalThenTrue() {
    Map<String, Object> o = Map.of("after", 5, "before", 20);
    assertTrue(eval("TimeInterval", Map.of("after", 1, "before", 5), "time", ctx("time", 2)));
    assertTrue(eval("TimeInterval", o, "time", ctx("time", 5)));
    assertTrue(eval("TimeInterval", o, "time", ctx("time", 19.5)));
    assertFalse(eval("TimeInterval", o, "time", ctx("time", 4)));
    assertFalse(eval("TimeInterval", o, "time", ctx("time", 20)));
    assertFalse(eval("TimeInterval", o, "time", ctx("time", "10")));
  }
}
