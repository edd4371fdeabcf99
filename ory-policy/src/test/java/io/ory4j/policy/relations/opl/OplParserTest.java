package io.ory4j.policy.relations.opl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.policy.relations.Namespace;
import io.ory4j.policy.relations.Relation;
import io.ory4j.policy.relations.RelationType;
import io.ory4j.policy.relations.Rewrite;
import io.ory4j.policy.relations.Rewrite.ComputedSubjectSet;
import io.ory4j.policy.relations.Rewrite.Not;
import io.ory4j.policy.relations.Rewrite.Operator;
import io.ory4j.policy.relations.Rewrite.SetOperation;
import io.ory4j.policy.relations.Rewrite.TupleToSubjectSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class OplParserTest {

  static String resource(String name) throws IOException {
    return io.ory4j.policy.relations.TestModels.resource(name);
  }

  static String unusedResource(String name) throws IOException {
    try (var in = OplParserTest.class.getResourceAsStream("/relations/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Namespace ns(OplParseResult r, String name) {
    return r.namespaces().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void parseWhenDocumentModelThenNamespacesRelationsAndRewrites() throws IOException {
    OplParseResult r = OplParser.parse(resource("documents.ts"));
    assertTrue(r.isValid(), r.errors().toString());
    assertEquals(List.of("User", "Group", "Folder", "Document"), r.namespaces().stream().map(Namespace::name).toList());
    Relation members = ns(r, "Group").relations().get("members");
    assertEquals(List.of(RelationType.of("User"), RelationType.subjectSet("Group", "members")), members.types());
    assertTrue(members.allowsSubjectSets());
    Relation edit = ns(r, "Folder").relations().get("edit");
    assertEquals(new SetOperation(Operator.OR, List.of(new ComputedSubjectSet("owners"),
        new ComputedSubjectSet("editors"), new TupleToSubjectSet("parents", "edit"))), edit.rewrite());
    Relation view = ns(r, "Document").relations().get("view");
    assertEquals(new SetOperation(Operator.AND, List.of(
        new SetOperation(Operator.OR, List.of(new ComputedSubjectSet("edit"), new ComputedSubjectSet("viewers"),
            new TupleToSubjectSet("parents", "view"))),
        new Not(new ComputedSubjectSet("banned")))), view.rewrite());
  }

  private static Rewrite permission(String expression) {
    OplParseResult r = OplParser.parse("class N implements Namespace {\n related: { a: N[]; b: N[]; c: N[] }\n"
        + " permits = { p: (ctx) => " + expression + " }\n}");
    assertTrue(r.isValid(), r.errors().toString());
    return r.namespaces().get(0).relations().get("p").rewrite();
  }

  private static Rewrite c(String rel) {
    return new ComputedSubjectSet(rel);
  }

  @Test
  void parseWhenMixedOperatorsThenLeftAssociativeAsKetoNotPrecedence() {
    String a = "this.related.a.includes(ctx.subject)";
    String b = "this.related.b.includes(ctx.subject)";
    String cc = "this.related.c.includes(ctx.subject)";
    // (a || b) && c, not a || (b && c)
    assertEquals(new SetOperation(Operator.AND, List.of(new SetOperation(Operator.OR, List.of(c("a"), c("b"))),
        c("c"))), permission(a + " || " + b + " && " + cc));
    // (a && b) || c
    assertEquals(new SetOperation(Operator.OR, List.of(new SetOperation(Operator.AND, List.of(
        new SetOperation(Operator.OR, List.of(c("a"))), c("b"))), c("c"))), permission(a + " && " + b + " || " + cc));
    // parentheses group as written
    assertEquals(new SetOperation(Operator.OR, List.of(c("a"), new SetOperation(Operator.AND, List.of(
        new SetOperation(Operator.OR, List.of(c("b"))), c("c"))))), permission(a + " || (" + b + " && " + cc + ")"));
  }

  @Test
  void parseWhenNegationAndPermitsAndBracketAccessThenAst() {
    assertEquals(new SetOperation(Operator.OR, List.of(new Not(c("a")))),
        permission("!this.related.a.includes(ctx.subject)"));
    assertEquals(new SetOperation(Operator.OR, List.of(c("b"))), permission("this.related[\"b\"].includes(ctx.subject)"));
    assertEquals(new SetOperation(Operator.OR, List.of(new Not(new SetOperation(Operator.OR, List.of(c("a"), c("b")))))),
        permission("!(this.related.a.includes(ctx.subject) || this.related.b.includes(ctx.subject))"));
    assertEquals(new SetOperation(Operator.OR, List.of(new TupleToSubjectSet("a", "b"))),
        permission("this.related.a.traverse(x => x.related.b.includes(ctx.subject))"));
  }

  @Test
  void parseWhenSyntaxErrorThenLineColumnAndMessage() {
    OplParseResult r = OplParser.parse("class A implements Namespace {\n  related: {\n    x: A[]\n  }\n"
        + "  permits = {\n    p: (ctx) => this.related.x.includes(ctx.subject) ||\n  }\n}");
    assertFalse(r.isValid());
    OplError e = r.errors().get(0);
    assertEquals(7, e.start().line());
    assertEquals(3, e.start().column());
    assertTrue(e.message().contains("expected an expression"), e.message());
  }

  @Test
  void parseWhenUnknownRelationOrNamespaceThenTypeErrorsAtTheirTokens() {
    OplParseResult r = OplParser.parse("class A implements Namespace {\n  related: { x: Missing[] }\n"
        + "  permits = { p: (ctx) => this.related.y.includes(ctx.subject) }\n}");
    assertEquals(2, r.errors().size(), r.errors().toString());
    assertEquals("namespace \"Missing\" was not declared", r.errors().get(0).message());
    assertEquals(2, r.errors().get(0).start().line());
    assertEquals(17, r.errors().get(0).start().column());
    assertEquals("namespace \"A\" did not declare relation \"y\"", r.errors().get(1).message());
  }

  @Test
  void parseWhenTraversedTypeLacksRelationThenError() {
    OplParseResult r = OplParser.parse("class F implements Namespace { related: { owners: F[] } }\n"
        + "class D implements Namespace { related: { parents: F[] }\n"
        + "  permits = { v: (ctx) => this.related.parents.traverse((p) => p.permits.view(ctx)) } }");
    assertEquals(1, r.errors().size(), r.errors().toString());
    assertTrue(r.errors().get(0).message().contains("\"view\" was not declared in namespace \"F\""));
  }

  @Test
  void parseWhenNestedTooDeeplyThenError() {
    String expr = "(".repeat(12) + "this.related.a.includes(ctx.subject)" + ")".repeat(12);
    OplParseResult r = OplParser.parse("class N implements Namespace { related: { a: N[] } permits = { p: (ctx) => "
        + expr + " } }");
    assertTrue(r.errors().get(0).message().contains("nested too deeply"));
  }

  @Test
  void parseWhenImplementsOtherInterfaceThenError() {
    OplParseResult r = OplParser.parse("class N implements Thing { }");
    assertEquals("unexpected 'implements' interface \"Thing\", expected 'Namespace'", r.errors().get(0).message());
  }

  @Test
  void parseWhenUnterminatedStringThenErrorNotException() {
    OplParseResult r = OplParser.parse("class N implements Namespace { related: { \"a: N[] } }");
    assertFalse(r.isValid());
  }

  @Property(tries = 2000)
  void parseWhenArbitraryInputThenNeverThrows(@ForAll @StringLength(max = 200) String input) {
    OplParseResult r = OplParser.parse(input);
    r.errors().forEach(e -> assertTrue(e.start().line() >= 1));
  }

  @Property(tries = 1000)
  void parseWhenMutatedValidDocumentThenNeverThrows(@ForAll("positions") int cut) throws IOException {
    String doc = resource("documents.ts");
    OplParser.parse(doc.substring(0, Math.min(cut, doc.length())));
    OplParser.parse(doc.substring(Math.min(cut, doc.length())));
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<Integer> positions() {
    return net.jqwik.api.Arbitraries.integers().between(0, 2000);
  }
}
