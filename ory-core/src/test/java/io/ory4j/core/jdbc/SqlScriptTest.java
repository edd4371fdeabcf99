package io.ory4j.core.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ory4j.core.jdbc.migrate.SqlScript;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class SqlScriptTest {

  @Test
  void splitWhenQuotesAndCommentsHoldSemicolonsThenNotSplitThere() {
    String script = "-- a comment; with semicolon\nCREATE TABLE a (x VARCHAR(3) DEFAULT ';');\n"
        + "/* block; comment */ INSERT INTO a VALUES ('it''s;');\n\n;  ;\nSELECT \"a;b\" FROM a";
    assertEquals(List.of("CREATE TABLE a (x VARCHAR(3) DEFAULT ';')", "INSERT INTO a VALUES ('it''s;')",
        "SELECT \"a;b\" FROM a"), SqlScript.split(script));
  }

  @Property
  void splitWhenStatementsJoinedThenSameStatements(@ForAll @AlphaChars @StringLength(min = 1, max = 20) String a,
      @ForAll @AlphaChars @StringLength(min = 1, max = 20) String b) {
    assertEquals(List.of("SELECT '" + a + ";'", "SELECT " + b), SqlScript.split("SELECT '" + a + ";';\nSELECT " + b
        + ";"));
  }
}
