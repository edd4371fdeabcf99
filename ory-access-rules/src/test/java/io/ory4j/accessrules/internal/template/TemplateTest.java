package io.ory4j.accessrules.internal.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.accessrules.spi.AuthenticationSession;
import io.ory4j.accessrules.spi.MatchContext;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TemplateTest {

  static AuthenticationSession session() {
    AuthenticationSession s = new AuthenticationSession(new MatchContext(List.of("https", "42"),
        URI.create("https://my-app/users/42?tab=posts&q=a+b"), "GET",
        Map.of("X-Request-Id", List.of("req-1"), "Accept", List.of("application/json"))));
    s.subject("alice@example.com");
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("email", "alice@example.com");
    extra.put("groups", List.of("admin", "dev"));
    extra.put("nested", Map.of("level", 3));
    s.extra(extra);
    s.setHeader("X-Prev", "p");
    return s;
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiterString = " => ", quoteCharacter = '\'', value = {
      "{{ print .Subject }} => alice@example.com",
      "{{ .Subject }} => alice@example.com",
      "User {{- \" \" -}} {{ print .Subject }}! => User alice@example.com!",
      "{{ print .Extra.email }} => alice@example.com",
      "{{ print .Extra.nested.level }} => 3",
      "{{ print .Extra.missing }} => ''",
      "{{ .Extra.missing }} => <no value>",
      "{{ print .Extra.groups }} => [admin dev]",
      "{{ printIndex .Extra.groups 1 }} => dev",
      "{{ printIndex .Extra.groups 7 }} => ''",
      "{{ index .Extra.groups 0 }} => admin",
      "{{ index .Extra \"email\" }} => alice@example.com",
      "{{ printIndex .MatchContext.RegexpCaptureGroups 1 }} => 42",
      "{{ index .MatchContext.RegexpCaptureGroups 0 }} => https",
      "{{ .MatchContext.Header.Get \"x-request-id\" }} => req-1",
      "{{ .MatchContext.Method }} => GET",
      "{{ .MatchContext.URL.Path }} => /users/42",
      "{{ .MatchContext.URL.Host }} => my-app",
      "{{ .MatchContext.URL.Query.Get \"tab\" }} => posts",
      "{{ .Header.Get \"X-Prev\" }} => p",
      "{{ .Subject | urlencode }} => alice%40example.com",
      "{{ urlquery .Subject }} => alice%40example.com",
      "{{ .Extra.groups | toJson }} => [\"admin\",\"dev\"]",
      "{{ .Extra.nope | default \"none\" }} => none",
      "{{ upper .Subject }} => ALICE@EXAMPLE.COM",
      "{{ print (index .Extra.groups 0) }} => admin",
      "{\"sub\": {{ .Subject | quote }}} => {\"sub\": \"alice@example.com\"}",
      "no actions => no actions",
  })
  void renderWhenOathkeeperDocExpressionsThenGoOutput(String template, String expected) {
    assertEquals(expected, Template.parse(template).render(session()));
  }

  @ParameterizedTest
  @CsvSource(delimiterString = " => ", quoteCharacter = '\'', value = {
      "{{ if .Subject }}x{{ end }} => \"if\" is not supported",
      "{{ range .Extra.groups }}x{{ end }} => \"range\" is not supported",
      "{{ exec \"ls\" }} => function \"exec\" not defined",
      "{{ .Subjekt }} => can't evaluate field Subjekt",
      "{{ .MatchContext.Foo }} => can't evaluate field Foo of MatchContext",
      "{{ print .Subject |}} => missing command after",
      "{{ print .Subject => unclosed action",
      "{{ $x := 1 }} => variables",
      "{{ \"abc }} => unterminated string",
      "{{ }} => empty action",
  })
  void parseWhenOutsideTheSubsetThenClearError(String template, String reason) {
    TemplateException e = assertThrows(TemplateException.class, () -> Template.parse(template));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }
}
