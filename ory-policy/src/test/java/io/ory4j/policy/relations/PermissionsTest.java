package io.ory4j.policy.relations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.core.error.OryException;
import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Check, expand, list and patch against the document-sharing model in src/test/resources/relations. */
class PermissionsTest {

  private Permissions p;

  @BeforeEach
  void setUp() throws IOException {
    // nested groups inside folders take more than Keto's default depth of 5: every rewrite level costs one
    p = Permissions.builder().opl(TestModels.resource("documents.ts")).maxReadDepth(10).build();
  }

  private void add(String... tuples) {
    for (String t : tuples) {
      p.insert(RelationTuple.parse(t));
    }
  }

  private boolean check(String tuple) {
    return p.check(RelationTuple.parse(tuple));
  }

  @Test
  void checkWhenDirectTupleThenAllowedAndOtherwiseNot() {
    add("Document:readme#owners@alice");
    assertTrue(check("Document:readme#owners@alice"));
    assertFalse(check("Document:readme#owners@bob"));
    assertFalse(check("Document:other#owners@alice"));
  }

  @Test
  void checkWhenComputedPermissionThenAllowed() {
    add("Document:readme#owners@alice", "Document:readme#viewers@bob");
    assertTrue(check("Document:readme#edit@alice"));
    assertTrue(check("Document:readme#view@alice"));
    assertTrue(check("Document:readme#delete@alice"));
    assertTrue(check("Document:readme#view@bob"));
    assertFalse(check("Document:readme#edit@bob"));
  }

  @Test
  void checkWhenMemberOfNestedGroupThenAllowedThroughSubjectSets() {
    add("Group:eng#members@carol", "Group:all#members@Group:eng#members",
        "Document:readme#editors@Group:all#members");
    assertTrue(check("Group:all#members@carol"));
    assertTrue(check("Document:readme#editors@carol"));
    assertTrue(check("Document:readme#view@carol"));
    assertFalse(check("Document:readme#view@dave"));
  }

  @Test
  void checkWhenInheritedThroughFolderChainThenAllowed() {
    add("Folder:root#viewers@erin", "Folder:sub#parents@Folder:root", "Document:readme#parents@Folder:sub",
        "Folder:root#owners@frank");
    assertTrue(check("Folder:sub#view@erin"));
    assertTrue(check("Document:readme#view@erin"));
    assertFalse(check("Document:readme#edit@erin"));
    assertTrue(check("Document:readme#edit@frank"));
  }

  @Test
  void checkWhenBannedThenExclusionDenies() {
    add("Document:readme#viewers@mallory", "Document:readme#banned@mallory", "Document:readme#viewers@bob");
    assertFalse(check("Document:readme#view@mallory"));
    assertTrue(check("Document:readme#view@bob"));
  }

  @Test
  void checkWhenGroupCycleThenTerminatesWithTheRightAnswer() {
    add("Group:a#members@Group:b#members", "Group:b#members@Group:a#members", "Group:b#members@zoe");
    assertTrue(check("Group:a#members@zoe"));
    assertFalse(check("Group:a#members@nobody"));
  }

  @Test
  void checkWhenChainLongerThanMaxDepthThenNotAllowedAndDeeperRequestClamped() {
    p = Permissions.builder().opl(TestModels.resource("documents.ts")).build();
    // g0 <- g1 <- ... <- g6: user in g6 reaches g0 only through 6 subject-set hops
    for (int i = 0; i < 6; i++) {
      add("Group:g" + i + "#members@Group:g" + (i + 1) + "#members");
    }
    add("Group:g6#members@deep");
    assertTrue(check("Group:g5#members@deep"));
    assertFalse(p.check(RelationTuple.parse("Group:g0#members@deep")), "beyond the default depth 5");
    assertFalse(p.check(RelationTuple.parse("Group:g0#members@deep"), 100), "a larger request is clamped to 5");
    assertFalse(p.check(RelationTuple.parse("Group:g2#members@deep"), 2), "a smaller request depth is honoured");
    Permissions deep = Permissions.builder().namespaces(Namespace.builder("Group")
        .related("members", RelationType.of("User"), RelationType.subjectSet("Group", "members")).build(),
        Namespace.named("User")).maxReadDepth(10).build();
    for (int i = 0; i < 6; i++) {
      deep.insert(RelationTuple.parse("Group:g" + i + "#members@Group:g" + (i + 1) + "#members"));
    }
    deep.insert(RelationTuple.parse("Group:g6#members@deep"));
    assertTrue(deep.check(RelationTuple.parse("Group:g0#members@deep")));
  }

  @Test
  void checkWhenStrictModeThenPermissionsAreNotLookedUpDirectly() {
    Permissions lax = Permissions.builder().namespaces(model()).build();
    Permissions strict = Permissions.builder().namespaces(model()).strictMode(true).build();
    for (Permissions x : List.of(lax, strict)) {
      // write a tuple straight into the store's relation "owners" and an expansion through a plain-User relation
      x.insert(RelationTuple.parse("Doc:d#owners@Group:g#members"));
      x.insert(RelationTuple.parse("Group:g#members@ann"));
    }
    // owners only allows User: strict mode does not expand the subject set written there
    assertTrue(lax.check(RelationTuple.parse("Doc:d#owners@ann")));
    assertFalse(strict.check(RelationTuple.parse("Doc:d#owners@ann")));
  }

  private static Namespace[] model() {
    return new Namespace[] {
        Namespace.named("User"),
        Namespace.builder("Group").related("members", RelationType.of("User")).build(),
        Namespace.builder("Doc").related("owners", RelationType.of("User"))
            .permits("view", Rewrite.or(Rewrite.computed("owners"))).build()};
  }

  private static Permissions negation(boolean undecidedNegationDenies) {
    return Permissions.builder().namespaces(Namespace.builder("N").related("a", RelationType.of("N"))
        .related("b", RelationType.of("N"))
        .permits("p", Rewrite.not(Rewrite.computed("a")))
        .permits("q", Rewrite.not(Rewrite.and(Rewrite.or(Rewrite.computed("a")), Rewrite.computed("b")))).build())
        .undecidedNegationDenies(undecidedNegationDenies).build();
  }

  @Test
  void checkWhenNegationAndDepthExhaustedThenKetoGrantsByDefault() {
    Permissions x = negation(false);
    assertTrue(x.check(RelationTuple.parse("N:o#p@u")), "no tuple a: !a holds");
    x.insert(RelationTuple.parse("N:o#a@u"));
    x.insert(RelationTuple.parse("N:o#b@u"));
    assertFalse(x.check(RelationTuple.parse("N:o#p@u")));
    assertFalse(x.check(RelationTuple.parse("N:o#q@u")), "u has a and b, so !(a && b) is false");
    assertTrue(x.check(RelationTuple.parse("N:o#p@u"), 1),
        "Keto: at depth 1 the look-up of a is unknown, its group says not member, and ! turns that into a grant");
    assertTrue(x.check(RelationTuple.parse("N:o#q@u"), 1), "the same through an intersection, as Keto");
  }

  @Test
  void checkWhenUndecidedNegationDeniesThenDepthExhaustionNeverGrants() {
    Permissions x = negation(true);
    assertTrue(x.check(RelationTuple.parse("N:o#p@u")));
    assertFalse(x.check(RelationTuple.parse("N:o#p@u"), 1), "at depth 1 'a' is unknown, so '!a' is unknown");
    x.insert(RelationTuple.parse("N:o#a@u"));
    x.insert(RelationTuple.parse("N:o#b@u"));
    assertFalse(x.check(RelationTuple.parse("N:o#p@u")));
    assertFalse(x.check(RelationTuple.parse("N:o#p@u"), 1), "even with the tuple, depth 1 never grants");
    assertFalse(x.check(RelationTuple.parse("N:o#q@u"), 1), "undecided at depth 1: denied, not granted");
    assertTrue(x.check(RelationTuple.parse("N:o#q@v")));
  }

  @Test
  void checkWhenUnknownNamespaceOrRelationThen400NamingField() {
    OryException e = assertThrows(OryException.class, () -> check("Nope:x#view@a"));
    assertEquals(400, e.status());
    assertEquals("namespace", e.error().details().get("field"));
    e = assertThrows(OryException.class, () -> check("Document:x#fly@a"));
    assertEquals("relation", e.error().details().get("field"));
  }

  @Test
  void patchWhenOneDeltaInvalidThenNothingWritten() {
    List<PatchDelta> deltas = List.of(PatchDelta.insert(RelationTuple.parse("Document:a#owners@x")),
        PatchDelta.insert(RelationTuple.parse("Document:a#view@x")));
    assertThrows(OryException.class, () -> p.patch(deltas));
    assertTrue(p.list(RelationQuery.all(), PageRequest.first()).items().isEmpty());
  }

  @Test
  void patchWhenInsertAndDeleteThenBothApplied() {
    add("Document:a#owners@x");
    p.patch(List.of(PatchDelta.delete(RelationTuple.parse("Document:a#owners@x")),
        PatchDelta.insert(RelationTuple.parse("Document:a#owners@y"))));
    assertFalse(check("Document:a#owners@x"));
    assertTrue(check("Document:a#owners@y"));
  }

  @Test
  void listWhenPagedThenEveryTupleOnceAndFiltersApply() {
    for (int i = 0; i < 25; i++) {
      add("Document:d" + i + "#owners@u" + (i % 3));
    }
    add("Folder:f#owners@u0");
    List<RelationTuple> all = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      Page<RelationTuple> page = p.list(new RelationQuery("Document", null, null, null), new PageRequest(10, token));
      all.addAll(page.items());
      token = page.nextPageToken();
      pages++;
    } while (token != null);
    assertEquals(3, pages);
    assertEquals(25, Set.copyOf(all).size());
    assertEquals(9, p.list(new RelationQuery("Document", null, null, new SubjectId("u0")), PageRequest.first())
        .items().size());
  }

  @Test
  void expandWhenNestedGroupsThenUnionTreeWithLeaves() {
    add("Group:eng#members@carol", "Group:all#members@Group:eng#members", "Group:all#members@dan");
    ExpandTree t = p.expand(new SubjectSet("Group", "all", "members"), 0).orElseThrow();
    assertEquals("union", t.type());
    assertEquals(Set.of("carol", "dan"), t.subjectIds());
    ExpandTree shallow = p.expand(new SubjectSet("Group", "all", "members"), 1).orElseThrow();
    assertEquals("leaf", shallow.type());
    assertTrue(p.expand(new SubjectSet("Group", "none", "members"), 0).isEmpty());
  }

  @Test
  void listObjectsWhenPermissionThroughFoldersAndGroupsThenExactlyTheViewableOnes() {
    add("Group:eng#members@carol", "Folder:root#viewers@Group:eng#members", "Document:a#parents@Folder:root",
        "Document:b#viewers@carol", "Document:c#owners@zed", "Document:d#parents@Folder:root",
        "Document:d#banned@carol");
    Page<String> page = p.listObjects("Document", "view", new SubjectId("carol"), PageRequest.first());
    assertEquals(List.of("a", "b"), page.items());
    Page<String> first = p.listObjects("Document", "view", new SubjectId("carol"), PageRequest.first(1));
    assertEquals(List.of("a"), first.items());
    assertEquals(List.of("b"), p.listObjects("Document", "view", new SubjectId("carol"),
        new PageRequest(1, first.nextPageToken())).items());
  }

  @Test
  void deleteAllWhenNamespaceQueryThenMatchingGone() {
    add("Document:a#owners@x", "Document:b#owners@x", "Folder:f#owners@x");
    assertEquals(2, p.deleteAll(new RelationQuery("Document", null, null, new SubjectId("x"))));
    assertEquals(1, p.list(RelationQuery.all(), PageRequest.first()).items().size());
    assertThrows(OryException.class, () -> p.deleteAll(RelationQuery.all()));
  }

  @Test
  void parseWhenMalformedTupleStringThen400() {
    assertEquals(400, assertThrows(OryException.class, () -> RelationTuple.parse("no-colon#rel@x")).status());
    assertEquals(400, assertThrows(OryException.class, () -> RelationTuple.parse("ns:obj#rel")).status());
    assertEquals(400, assertThrows(OryException.class, () -> RelationTuple.parse("ns:obj#@x")).status());
    assertEquals("ns:o#r@ns2:o2#r2", RelationTuple.parse("ns:o#r@ns2:o2#r2").toString());
    assertEquals(new SubjectSet("ns2", "o2", ""), RelationTuple.parse("ns:o#r@ns2:o2").subject());
  }
}
