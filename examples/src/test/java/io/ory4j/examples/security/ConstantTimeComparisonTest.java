package io.ory4j.examples.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.core.secrets.ConstantTime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Item 6: secrets are compared in constant time. The scan reads the main sources of every module and fails on an
 * equality test ({@code a.equals(b)}, {@code Objects.equals(a, b)}, {@code Arrays.equals(a, b)}, {@code a == b} is not
 * used on strings here) whose operands are both variables, fields or calls, and one of which names a secret: its last
 * camel-case word is one of {@link #SECRET_WORDS} ({@code clientSecret}, {@code codeHash}, {@code csrfToken},
 * {@code verifier()}...). A comparison with a literal or an UPPER_CASE constant is not a secret comparison
 * ({@code "code".equals(responseType)}), nor is one whose name only contains such a word elsewhere
 * ({@code tokenEndpointAuthMethod}). Such a site must use {@link ConstantTime#equals}, or be listed in
 * {@link #ALLOWED} with the reason.
 */
class ConstantTimeComparisonTest {

  static final Set<String> SECRET_WORDS = Set.of("secret", "token", "csrf", "code", "hash", "password", "verifier",
      "signature", "mac", "otp", "digest", "key");

  /** file:line-content fragments allowed to compare with equals, and why. None today. */
  static final Map<String, String> ALLOWED = Map.of();

  private static final Pattern OPERAND = Pattern.compile("[\\w.]+(?:\\([^()]*\\))?");
  private static final Pattern EQUALS_CALL = Pattern.compile("(" + OPERAND.pattern() + ")\\.equals\\(("
      + OPERAND.pattern() + ")\\)");
  private static final Pattern EQUALS_STATIC = Pattern.compile("(?:Objects|Arrays)\\.equals\\(("
      + OPERAND.pattern() + "),\\s*(" + OPERAND.pattern() + ")\\)");

  /** The equality tests of secrets in one line of code (after comments are dropped). */
  static List<String> secretComparisons(String line) {
    List<String> found = new ArrayList<>();
    for (Pattern p : List.of(EQUALS_STATIC, EQUALS_CALL)) {
      Matcher m = p.matcher(line);
      while (m.find()) {
        String a = m.group(1);
        String b = m.group(2);
        if (a.endsWith("Objects") || a.endsWith("Arrays") || a.endsWith("ConstantTime")
            || a.endsWith("MessageDigest")) {
          continue;
        }
        if (variable(a) && variable(b) && (secret(a) || secret(b))) {
          found.add(m.group());
        }
      }
    }
    return found;
  }

  /** A variable, field or call: not a literal, a number, null, a boolean or an UPPER_CASE constant. */
  private static boolean variable(String operand) {
    String last = lastIdentifier(operand);
    return !last.isEmpty() && Character.isJavaIdentifierStart(last.charAt(0)) && !last.equals("null")
        && !last.equals("true") && !last.equals("false") && !last.matches("[A-Z][A-Z0-9_]*");
  }

  private static boolean secret(String operand) {
    String[] words = lastIdentifier(operand).split("(?<=[a-z0-9])(?=[A-Z])|_");
    return SECRET_WORDS.contains(words[words.length - 1].toLowerCase(Locale.ROOT));
  }

  private static String lastIdentifier(String operand) {
    String s = operand.replaceAll("\\([^()]*\\)$", "");
    return s.substring(s.lastIndexOf('.') + 1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"if (client.secret().equals(given)) {", "return Objects.equals(csrfToken, form);",
      "ok = stored.codeHash().equals(hash(code));", "if (verifier.equals(l.verifier())) {",
      "Arrays.equals(expectedMac, mac)", "x -> x.apiKey().equals(header)"})
  void scanWhenAnEqualsComparesASecretThenFound(String line) {
    assertEquals(1, secretComparisons(line).size(), line);
  }

  @ParameterizedTest
  @ValueSource(strings = {"if (\"code\".equals(responseType)) {", "client.tokenEndpointAuthMethod().equals(method)",
      "if (ConstantTime.equals(a.secret(), given)) {", "s.id().equals(linkSession)", "GRANT_CODE.equals(grant)",
      "type.equals(TOKEN)", "entry.getValue().equals(other)", "Objects.equals(subject, session.subject())"})
  void scanWhenNoSecretIsComparedThenNothing(String line) {
    assertTrue(secretComparisons(line).isEmpty(), line + ": " + secretComparisons(line));
  }

  @Test
  void mainSourcesWhenScannedThenEverySecretComparisonIsConstantTime() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    List<Path> sources;
    try (Stream<Path> s = Files.walk(root)) {
      sources = s.filter(p -> p.toString().endsWith(".java") && root.relativize(p).toString().replace('\\', '/')
          .matches("[^/]+/src/main/java/.*")).toList();
    }
    assertTrue(sources.size() > 100, "the main sources of every module were found: " + sources.size());
    List<String> offenders = new ArrayList<>();
    for (Path file : sources) {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      boolean inComment = false;
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (inComment || line.startsWith("/*")) {
          inComment = !line.contains("*/");
          continue;
        }
        String code = line.replaceAll("//.*$", "");
        for (String hit : secretComparisons(code)) {
          String where = root.relativize(file) + ":" + (i + 1) + ": " + hit;
          if (ALLOWED.keySet().stream().noneMatch(where::contains)) {
            offenders.add(where);
          }
        }
      }
    }
    assertTrue(offenders.isEmpty(), "compare secrets with ConstantTime.equals: " + String.join("\n", offenders));
  }

  @Test
  void constantTimeWhenComparedThenEqualityAsEqualsAndNullEqualsNothing() {
    assertTrue(ConstantTime.equals("ory_st_secret-value", "ory_st_secret-value"));
    assertFalse(ConstantTime.equals("ory_st_secret-value", "ory_st_secret-valuf"), "the last character differs");
    assertFalse(ConstantTime.equals("ory_st_secret-value", "Ory_st_secret-value"), "the first character differs");
    assertFalse(ConstantTime.equals("ory_st_secret-value", "ory_st_secret-value-longer"), "a prefix");
    assertFalse(ConstantTime.equals("", "x"));
    assertTrue(ConstantTime.equals("", ""));
    assertTrue(ConstantTime.equals("päss", new String("päss".getBytes(StandardCharsets.UTF_8),
        StandardCharsets.UTF_8)), "compared as UTF-8");
    assertFalse(ConstantTime.equals((String) null, null), "a missing value never matches, not even a missing one");
    assertFalse(ConstantTime.equals(null, "x"));
    assertFalse(ConstantTime.equals("x", null));
    assertTrue(ConstantTime.equals(new byte[] {1, 2, 3}, new byte[] {1, 2, 3}));
    assertFalse(ConstantTime.equals(new byte[] {1, 2, 3}, new byte[] {1, 2, 4}));
    assertFalse(ConstantTime.equals(new byte[] {1, 2, 3}, null));
  }
}
