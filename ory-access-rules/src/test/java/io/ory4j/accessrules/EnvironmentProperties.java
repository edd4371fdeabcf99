package io.ory4j.accessrules;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Hostile Oathkeeper environment variables (issue #11): any mix of {@code <SECTION>_<NAME>_ENABLED},
 * {@code _CONFIG}, {@code _CONFIG_<KEY>}, {@code ACCESS_RULES_*} and {@code ERRORS_FALLBACK} with arbitrary values
 * builds, or is refused with an {@link IllegalArgumentException} (a bad global setting) or an
 * {@link InvalidRulesException} (a rule the settings make invalid), each with a message; never another exception.
 */
class EnvironmentProperties {

  @Provide
  Arbitrary<Map<String, String>> environments() {
    Arbitrary<String> key = Arbitraries.of("AUTHENTICATORS_ANONYMOUS_ENABLED", "AUTHENTICATORS_ANONYMOUS_CONFIG",
        "AUTHENTICATORS_ANONYMOUS_CONFIG_SUBJECT", "AUTHENTICATORS_JWT_ENABLED", "AUTHENTICATORS_JWT_CONFIG_JWKS_URLS",
        "AUTHENTICATORS_OAUTH2_INTROSPECTION_CONFIG_CACHE_TTL", "AUTHENTICATORS_OAUTH2_INTROSPECTION_ENABLED",
        "AUTHORIZERS_ALLOW_ENABLED", "AUTHORIZERS_REMOTE_JSON_ENABLED", "AUTHORIZERS_REMOTE_JSON_CONFIG_RETRY_MAX_DELAY",
        "AUTHORIZERS_REMOTE_JSON_CONFIG", "MUTATORS_NOOP_ENABLED", "MUTATORS_HEADER_CONFIG_HEADERS",
        "MUTATORS_HEADER_ENABLED", "ERRORS_FALLBACK", "ERRORS_HANDLERS_REDIRECT_ENABLED",
        "ERRORS_HANDLERS_REDIRECT_CONFIG_TO", "ACCESS_RULES_MATCHING_STRATEGY", "ACCESS_RULES_REPOSITORIES",
        "AUTHENTICATORS__ENABLED", "AUTHORIZERS_", "MUTATORS_X_CONFIG_");
    Arbitrary<String> value = Arbitraries.oneOf(
        Arbitraries.of("true", "false", "TRUE", "1", "", "null", "{}", "[]", "[\"json\"]", "[\"nope\"]", "glob",
            "regexp", "fuzzy", "{\"subject\":5}", "{\"headers\":{\"X\":\"{{ if }}\"}}", "\"1s\"", "-1", "1e999",
            "[\"http://127.0.0.1:9/k\"]", "inline://e30=", "inline://!!!", "file:///nonexistent/rules.json",
            "ftp://x/rules.json", "{\"remote\":\"http://127.0.0.1:9/\",\"payload\":\"{}\"}"),
        Arbitraries.strings().ofMaxLength(30));
    return Combinators.combine(key.list().ofMaxSize(8), value.list().ofSize(8)).as((keys, values) -> {
      Map<String, String> env = new LinkedHashMap<>();
      for (int i = 0; i < keys.size(); i++) {
        env.put(keys.get(i), values.get(i));
      }
      return env;
    });
  }

  @Property(tries = 3000)
  void environmentWhenAnySettingsThenBuildsOrRefusedWithAMessage(@ForAll("environments") Map<String, String> env) {
    try {
      AccessRules.builder().environment(env).rules(List.of(Rule.builder("r").match("http://my-app/<.*>", "GET")
          .authenticator("anonymous").authorizer("allow").mutator("noop").build())).build();
    } catch (InvalidRulesException e) {
      RuleFilesProperties.assertProblemsNamed(e);
    } catch (IllegalArgumentException e) {
      assertFalse(e.getMessage() == null || e.getMessage().isBlank(), e.toString());
    }
  }

  @net.jqwik.api.Example
  void environmentWhenConfigIsNotJsonThenRefusedNamingTheVariable() {
    for (Map<String, String> env : List.of(Map.of("AUTHENTICATORS_ANONYMOUS_ENABLED", "true",
        "AUTHENTICATORS_ANONYMOUS_CONFIG", "TRUE"), Map.of("ERRORS_FALLBACK", "[json"))) {
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> AccessRules.builder().environment(env));
      org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().endsWith("is not valid JSON")
          && e.getMessage().startsWith(env.keySet().stream().filter(k -> !k.endsWith("_ENABLED")).findFirst()
              .orElseThrow()), e.getMessage());
    }
  }
}
