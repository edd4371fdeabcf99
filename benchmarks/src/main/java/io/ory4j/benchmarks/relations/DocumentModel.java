package io.ory4j.benchmarks.relations;

import io.ory4j.policy.relations.Namespace;
import io.ory4j.policy.relations.RelationTuple;
import io.ory4j.policy.relations.RelationType;
import io.ory4j.policy.relations.Rewrite;
import io.ory4j.policy.relations.SubjectSet;
import io.ory4j.policy.relations.spi.RelationTupleStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A document-sharing model and a data set of a given size: groups with members and nested groups, a folder tree,
 * documents with owners, editors and viewers (users or groups), and a deep group chain. The data is generated from a
 * fixed seed, so every run measures the same tuples.
 */
final class DocumentModel {

  static final int CHAIN = 4;

  private DocumentModel() {}

  static Namespace[] namespaces() {
    RelationType user = RelationType.of("User");
    RelationType group = RelationType.subjectSet("Group", "members");
    return new Namespace[] {
        Namespace.named("User"),
        Namespace.builder("Group").related("members", user, group).build(),
        Namespace.builder("Folder")
            .related("parents", RelationType.of("Folder"))
            .related("owners", user, group).related("editors", user, group).related("viewers", user, group)
            .permits("edit", Rewrite.or(Rewrite.computed("owners"), Rewrite.computed("editors"),
                Rewrite.traverse("parents", "edit")))
            .permits("view", Rewrite.or(Rewrite.computed("edit"), Rewrite.computed("viewers"),
                Rewrite.traverse("parents", "view")))
            .build(),
        Namespace.builder("Document")
            .related("parents", RelationType.of("Folder"))
            .related("owners", user, group).related("editors", user, group).related("viewers", user, group)
            .permits("edit", Rewrite.or(Rewrite.computed("owners"), Rewrite.computed("editors"),
                Rewrite.traverse("parents", "edit")))
            .permits("view", Rewrite.or(Rewrite.computed("edit"), Rewrite.computed("viewers"),
                Rewrite.traverse("parents", "view")))
            .build()};
  }

  /** Fills {@code store} with about {@code size} tuples; returns how many were written. */
  static int populate(RelationTupleStore store, int size) {
    Random rnd = new Random(42);
    int groups = Math.max(10, size / 100);
    int folders = Math.max(10, size / 50);
    int users = Math.max(100, size / 10);
    List<RelationTuple> batch = new ArrayList<>();
    int written = 0;
    // fixed fixtures the benchmarks query
    batch.add(RelationTuple.parse("Document:doc-0#owners@user-owner"));
    batch.add(RelationTuple.parse("Group:group-fixture#members@user-member"));
    batch.add(RelationTuple.of("Document", "doc-1", "viewers", new SubjectSet("Group", "group-fixture", "members")));
    batch.add(RelationTuple.of("Folder", "folder-fixture", "viewers", new SubjectSet("Group", "group-fixture",
        "members")));
    batch.add(RelationTuple.of("Document", "doc-2", "parents", new SubjectSet("Folder", "folder-fixture", "")));
    for (int i = 0; i < CHAIN; i++) {
      batch.add(RelationTuple.of("Group", "chain-" + i, "members", new SubjectSet("Group", "chain-" + (i + 1),
          "members")));
    }
    batch.add(RelationTuple.parse("Group:chain-" + CHAIN + "#members@user-deep"));
    while (written + batch.size() < size) {
      int kind = rnd.nextInt(10);
      if (kind < 3) {
        batch.add(RelationTuple.of("Group", "group-" + rnd.nextInt(groups), "members", "user-" + rnd.nextInt(users)));
      } else if (kind == 3) {
        batch.add(RelationTuple.of("Group", "group-" + rnd.nextInt(groups), "members",
            new SubjectSet("Group", "group-" + rnd.nextInt(groups), "members")));
      } else if (kind == 4) {
        int f = rnd.nextInt(folders);
        batch.add(RelationTuple.of("Folder", "folder-" + f, "parents", new SubjectSet("Folder", "folder-"
            + rnd.nextInt(Math.max(1, f + 1)), "")));
      } else {
        int d = 10 + rnd.nextInt(Math.max(1, size / 4));
        String rel = switch (kind) {
          case 5 -> "parents";
          case 6, 7 -> "owners";
          case 8 -> "editors";
          default -> "viewers";
        };
        if (rel.equals("parents")) {
          batch.add(RelationTuple.of("Document", "doc-" + d, rel, new SubjectSet("Folder", "folder-"
              + rnd.nextInt(folders), "")));
        } else if (rnd.nextBoolean()) {
          batch.add(RelationTuple.of("Document", "doc-" + d, rel, "user-" + rnd.nextInt(users)));
        } else {
          batch.add(RelationTuple.of("Document", "doc-" + d, rel, new SubjectSet("Group", "group-"
              + rnd.nextInt(groups), "members")));
        }
      }
      if (batch.size() >= 5000) {
        store.write(batch, List.of());
        written += batch.size();
        batch.clear();
      }
    }
    store.write(batch, List.of());
    return written + batch.size();
  }
}
