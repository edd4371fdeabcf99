package io.ory4j.accessrules;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.ory4j.accessrules.spi.HandlerKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Hostile rule files (issue #11): arbitrary text, mutated Oathkeeper rule files (JSON and YAML), rules whose fields
 * hold values of the wrong JSON type, and the classic parser bombs. Each is either a rule set or an
 * {@link InvalidRulesException} naming rule, field and reason: never another exception and never a hang.
 */
class RuleFilesProperties {

  static final String JSON_FILE = resource("/rules/oathkeeper-rules.json");
  static final String YAML_FILE = resource("/rules/oathkeeper-rules.yaml");

  static String resource(String name) {
    try (var in = RuleFilesProperties.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every handler the fixtures name, enabled, so a rule is refused for its content, not for a disabled handler. */
  static AccessRules.Builder everything() {
    AccessRules.Builder b = AccessRulesTest.defaults()
        .enable(HandlerKind.AUTHENTICATOR, "cookie_session", "{\"check_session_url\":\"http://127.0.0.1:9/s\"}")
        .enable(HandlerKind.AUTHENTICATOR, "oauth2_introspection",
            "{\"introspection_url\":\"http://127.0.0.1:9/i\"}")
        .enable(HandlerKind.AUTHENTICATOR, "jwt", "{\"jwks_urls\":[\"http://127.0.0.1:9/k\"]}")
        .enable(HandlerKind.AUTHORIZER, "remote_json", "{\"remote\":\"http://127.0.0.1:9/r\",\"payload\":\"{}\"}")
        .enable(HandlerKind.AUTHORIZER, "keto_engine_acp_ory", "{\"base_url\":\"http://127.0.0.1:9/\","
            + "\"required_action\":\"a\",\"required_resource\":\"r\"}")
        .enable(HandlerKind.MUTATOR, "hydrator", "{\"api\":{\"url\":\"http://127.0.0.1:9/h\"}}")
        .enable(HandlerKind.ERROR_HANDLER, "redirect", "{\"to\":\"http://127.0.0.1:9/login\"}")
        .enable(HandlerKind.ERROR_HANDLER, "www_authenticate");
    return b;
  }

  /** Parses and, when that works, builds: the two steps a rule file goes through at load. */
  static void load(String document) {
    List<Rule> rules;
    try {
      rules = RuleFiles.parse(document, "fuzz.json");
    } catch (InvalidRulesException e) {
      assertProblemsNamed(e);
      return;
    }
    try {
      everything().rules(rules).build();
    } catch (InvalidRulesException e) {
      assertProblemsNamed(e);
    }
  }

  static void assertProblemsNamed(InvalidRulesException e) {
    assertFalse(e.problems().isEmpty());
    for (RuleProblem p : e.problems()) {
      assertNotNull(p.ruleId());
      assertNotNull(p.field());
      assertFalse(p.reason() == null || p.reason().isBlank(), p.toString());
    }
  }

  @Property(tries = 3000)
  void parseWhenArbitraryTextThenRulesOrNamedProblems(@ForAll("texts") String text) {
    load(text);
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(200),
        Arbitraries.strings().withChars("[]{}:,\"'-#&*!|>\\ \n\tabcidmatchurlGET0123<>.*?").ofMaxLength(200));
  }

  @Property(tries = 3000)
  void parseWhenOathkeeperFileMutatedThenRulesOrNamedProblems(@ForAll("mutations") String document) {
    load(document);
  }

  @Provide
  Arbitrary<String> mutations() {
    Arbitrary<String> base = Arbitraries.of(JSON_FILE, YAML_FILE);
    Arbitrary<Integer> edits = Arbitraries.integers().between(1, 6);
    Arbitrary<Long> seed = Arbitraries.longs();
    return Combinators.combine(base, edits, seed).as(RuleFilesProperties::mutate);
  }

  /** Deletes, inserts, replaces or duplicates characters at pseudo-random places, or truncates. */
  static String mutate(String doc, int edits, long seed) {
    java.util.Random r = new java.util.Random(seed);
    StringBuilder sb = new StringBuilder(doc);
    String alphabet = "[]{}:,\"'-<>.*?\\ \n0aZ\u00e9\u0000";
    for (int i = 0; i < edits && sb.length() > 0; i++) {
      int at = r.nextInt(sb.length());
      switch (r.nextInt(5)) {
        case 0 -> sb.deleteCharAt(at);
        case 1 -> sb.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
        case 2 -> sb.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length())));
        case 3 -> sb.insert(at, sb.substring(at, Math.min(sb.length(), at + r.nextInt(40))));
        default -> sb.setLength(at);
      }
    }
    return sb.toString();
  }

  @Property(tries = 3000)
  void parseWhenFieldsHoldWrongTypesThenRulesOrNamedProblems(@ForAll("wrongTypes") String document) {
    load(document);
  }

  @Provide
  Arbitrary<String> wrongTypes() {
    Arbitrary<String> value = Arbitraries.of("null", "0", "-1", "1e999", "true", "\"\"", "\"x\"", "[]", "[1]",
        "[\"GET\"]", "{}", "{\"handler\":5}", "{\"handler\":\"noop\",\"config\":[]}", "[{\"handler\":null}]",
        "[{\"handler\":\"jwt\",\"config\":{\"jwks_urls\":\"x\"}}]", "{\"url\":\"<[>\",\"methods\":[\"GET\"]}",
        "{\"url\":\"http://a/<.*>\",\"methods\":[]}", "\"" + "a".repeat(5000) + "\"");
    Arbitrary<String> field = Arbitraries.of("id", "version", "description", "priority", "match", "upstream",
        "authenticators", "authorizer", "mutators", "errors");
    return Combinators.combine(field, value, field, value).as((f1, v1, f2, v2) -> "[{\"id\":\"r\","
        + "\"match\":{\"url\":\"http://a/<.*>\",\"methods\":[\"GET\"]},\"authenticators\":[{\"handler\":\"noop\"}],"
        + "\"authorizer\":{\"handler\":\"allow\"},\"mutators\":[{\"handler\":\"noop\"}],"
        + "\"" + f1 + "\":" + v1 + ",\"" + f2 + "\":" + v2 + "}]");
  }

  @Example
  void parseWhenYamlBillionLaughsThenRefusedQuickly() {
    StringBuilder y = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (char c = 'b'; c <= 'j'; c++) {
      char p = (char) (c - 1);
      y.append(c).append(": &").append(c).append(" [*").append(p).append(",*").append(p).append(",*").append(p)
          .append(",*").append(p).append(",*").append(p).append(",*").append(p).append(",*").append(p).append(",*")
          .append(p).append("]\n");
    }
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertProblemsNamed(assertThrows(
        InvalidRulesException.class, () -> RuleFiles.parse(y.toString(), "bomb.yaml"))));
  }

  @Example
  void parseWhenNestedTenThousandDeepThenRefusedNotStackOverflow() {
    for (String doc : new String[] {"[".repeat(10_000) + "]".repeat(10_000), "- ".repeat(10_000) + "x",
        "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000)}) {
      assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertProblemsNamed(assertThrows(
          InvalidRulesException.class, () -> RuleFiles.parse(doc, "deep"))));
    }
  }

  @Example
  void parseWhenHugeDocumentThenRulesOrNamedProblems() {
    String many = "[" + ("{\"id\":\"r\",\"match\":{\"url\":\"http://a/\",\"methods\":[\"GET\"]}},").repeat(50_000)
        + "{}]";
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> load(many));
  }
}
