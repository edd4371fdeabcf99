package io.ory4j.policy.relations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Check agrees with a naive search: the least fixpoint of "who has what" computed by iterating over every tuple
 * until nothing changes, on random models (nested groups, folder trees with inherited permissions) whose graphs are
 * acyclic and shallow enough that the depth limit is never what decides.
 */
class CheckAgreesWithNaiveSearchTest {

  private static final int N = 4;
  private static final String[] USERS = {"u0", "u1", "u2"};

  private static Namespace[] model() {
    return new Namespace[] {
        Namespace.named("U"),
        Namespace.builder("G").related("members", RelationType.of("U"), RelationType.subjectSet("G", "members"))
            .build(),
        Namespace.builder("F")
            .related("parents", RelationType.of("F"))
            .related("owners", RelationType.of("U"))
            .related("viewers", RelationType.of("U"), RelationType.subjectSet("G", "members"))
            .permits("edit", Rewrite.or(Rewrite.computed("owners"), Rewrite.traverse("parents", "edit")))
            .permits("view", Rewrite.or(Rewrite.computed("edit"), Rewrite.computed("viewers"),
                Rewrite.traverse("parents", "view")))
            .build()};
  }

  @Property(tries = 300)
  void checkWhenRandomAcyclicModelThenAgreesWithFixpoint(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    Random rnd = new Random(seed);
    List<RelationTuple> tuples = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      for (int j = i + 1; j < N; j++) {
        if (rnd.nextInt(3) == 0) {
          tuples.add(RelationTuple.of("G", "g" + i, "members", new SubjectSet("G", "g" + j, "members")));
        }
        if (rnd.nextInt(3) == 0) {
          tuples.add(RelationTuple.of("F", "f" + i, "parents", new SubjectSet("F", "f" + j, "")));
        }
      }
      for (String u : USERS) {
        if (rnd.nextInt(4) == 0) {
          tuples.add(RelationTuple.of("G", "g" + i, "members", u));
        }
        if (rnd.nextInt(6) == 0) {
          tuples.add(RelationTuple.of("F", "f" + i, "owners", u));
        }
        if (rnd.nextInt(6) == 0) {
          tuples.add(RelationTuple.of("F", "f" + i, "viewers", u));
        }
      }
      if (rnd.nextInt(3) == 0) {
        tuples.add(RelationTuple.of("F", "f" + i, "viewers", new SubjectSet("G", "g" + rnd.nextInt(N), "members")));
      }
    }
    Permissions p = Permissions.builder().namespaces(model()).maxReadDepth(40).build();
    tuples.forEach(p::insert);
    Map<String, Set<String>> naive = fixpoint(tuples);
    for (int i = 0; i < N; i++) {
      for (String u : USERS) {
        for (String[] q : new String[][] {{"G", "g" + i, "members"}, {"F", "f" + i, "edit"}, {"F", "f" + i, "view"},
            {"F", "f" + i, "viewers"}}) {
          boolean expected = naive.getOrDefault(q[0] + ":" + q[1] + "#" + q[2], Set.of()).contains(u);
          assertEquals(expected, p.check(RelationTuple.of(q[0], q[1], q[2], u)),
              q[0] + ":" + q[1] + "#" + q[2] + "@" + u + " with " + tuples);
        }
      }
    }
  }

  /** Who is in each set, by plain iteration until nothing changes. */
  private static Map<String, Set<String>> fixpoint(List<RelationTuple> tuples) {
    Map<String, Set<String>> has = new HashMap<>();
    boolean changed = true;
    while (changed) {
      changed = false;
      for (RelationTuple t : tuples) {
        String key = t.namespace() + ":" + t.object() + "#" + t.relation();
        Set<String> add = new HashSet<>();
        if (t.subject() instanceof SubjectId id) {
          add.add(id.id());
        } else {
          SubjectSet s = (SubjectSet) t.subject();
          add.addAll(has.getOrDefault(s.namespace() + ":" + s.object() + "#" + s.relation(), Set.of()));
        }
        changed |= has.computeIfAbsent(key, k -> new HashSet<>()).addAll(add);
      }
      for (int i = 0; i < N; i++) {
        String f = "F:f" + i;
        Set<String> edit = new HashSet<>(has.getOrDefault(f + "#owners", Set.of()));
        Set<String> view = new HashSet<>(has.getOrDefault(f + "#viewers", Set.of()));
        for (RelationTuple t : tuples) {
          if (t.namespace().equals("F") && t.object().equals("f" + i) && t.relation().equals("parents")) {
            SubjectSet parent = (SubjectSet) t.subject();
            edit.addAll(has.getOrDefault("F:" + parent.object() + "#edit", Set.of()));
            view.addAll(has.getOrDefault("F:" + parent.object() + "#view", Set.of()));
          }
        }
        view.addAll(edit);
        changed |= has.computeIfAbsent(f + "#edit", k -> new HashSet<>()).addAll(edit);
        changed |= has.computeIfAbsent(f + "#view", k -> new HashSet<>()).addAll(view);
      }
    }
    return has;
  }
}
