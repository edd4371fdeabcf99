package io.ory4j.policy.relations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.core.storage.PageRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The relation-tuple snippet in README.md, compiled and run. Keep the two in step. */
class ReadmeRelationsSnippetTest {

  @Test
  void relationsSnippet() {
    // README: ory-policy (relation tuples)
    Permissions permissions = Permissions.builder()
        .opl("""
            class User implements Namespace {}
            class Document implements Namespace {
              related: { owners: User[]; viewers: User[] }
              permits = {
                view: (ctx: Context): boolean =>
                  this.related.viewers.includes(ctx.subject) || this.related.owners.includes(ctx.subject)
              }
            }""")
        .build();                                            // .store(new JdbcRelationTupleStore(jdbc)) for SQL
    permissions.insert(RelationTuple.parse("Document:readme#owners@alice"));
    boolean aliceViews = permissions.check(RelationTuple.parse("Document:readme#view@alice"));   // true
    boolean bobViews = permissions.check(RelationTuple.parse("Document:readme#view@bob"));       // false
    List<String> docs = permissions.listObjects("Document", "view", new SubjectId("alice"), PageRequest.first())
        .items();                                                                                 // [readme]
    // end README
    io.ory4j.policy.PolicyEngine engine = io.ory4j.policy.PolicyEngine.builder().relations(permissions).build();
    assertTrue(engine.relations().check(RelationTuple.parse("Document:readme#view@alice")));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> io.ory4j.policy.PolicyEngine.builder().build().relations());
    assertTrue(aliceViews);
    assertFalse(bobViews);
    assertEquals(List.of("readme"), docs);
  }
}
