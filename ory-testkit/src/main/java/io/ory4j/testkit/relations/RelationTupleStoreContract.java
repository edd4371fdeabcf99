package io.ory4j.testkit.relations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.core.error.OryException;
import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.policy.relations.RelationQuery;
import io.ory4j.policy.relations.RelationTuple;
import io.ory4j.policy.relations.SubjectId;
import io.ory4j.policy.relations.SubjectSet;
import io.ory4j.policy.relations.spi.RelationTupleStore;
import io.ory4j.policy.relations.spi.TupleKeys;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link RelationTupleStore}. Extend it and implement {@link #newStore()} (a fresh, empty store per
 * call) to prove a store.
 */
public abstract class RelationTupleStoreContract {

  /** A fresh, empty store. */
  protected abstract RelationTupleStore newStore();

  private static RelationTuple t(String s) {
    return RelationTuple.parse(s);
  }

  @Test
  void writeWhenInsertedThenExistsExactly() {
    RelationTupleStore store = newStore();
    store.write(List.of(t("doc:a#owner@alice"), t("doc:a#viewer@group:g#member")), List.of());
    assertTrue(store.exists(t("doc:a#owner@alice")));
    assertTrue(store.exists(t("doc:a#viewer@group:g#member")));
    assertFalse(store.exists(t("doc:a#owner@bob")));
    assertFalse(store.exists(t("doc:a#viewer@group:g#admin")));
    assertFalse(store.exists(t("doc:b#owner@alice")));
  }

  @Test
  void writeWhenSameTupleTwiceThenStoredOnce() {
    RelationTupleStore store = newStore();
    store.write(List.of(t("doc:a#owner@alice")), List.of());
    store.write(List.of(t("doc:a#owner@alice"), t("doc:a#owner@alice")), List.of());
    assertEquals(1, store.find(RelationQuery.all(), PageRequest.first()).items().size());
  }

  @Test
  void writeWhenInsertAndDeleteTogetherThenBothApply() {
    RelationTupleStore store = newStore();
    store.write(List.of(t("doc:a#owner@alice")), List.of());
    store.write(List.of(t("doc:a#owner@bob")), List.of(t("doc:a#owner@alice"), t("doc:zz#owner@nobody")));
    assertFalse(store.exists(t("doc:a#owner@alice")));
    assertTrue(store.exists(t("doc:a#owner@bob")));
  }

  @Test
  void subjectSetWithEmptyRelationWhenStoredThenDistinctFromOtherRelations() {
    RelationTupleStore store = newStore();
    store.write(List.of(t("doc:a#parent@folder:f")), List.of());
    assertTrue(store.exists(RelationTuple.of("doc", "a", "parent", new SubjectSet("folder", "f", ""))));
    assertFalse(store.exists(t("doc:a#parent@folder:f#x")));
    RelationTuple back = store.find(RelationQuery.all(), PageRequest.first()).items().get(0);
    assertEquals(new SubjectSet("folder", "f", ""), back.subject());
  }

  @Test
  void findWhenFiltersThenOnlyMatches() {
    RelationTupleStore store = newStore();
    store.write(List.of(t("doc:a#owner@alice"), t("doc:a#viewer@alice"), t("doc:b#owner@alice"),
        t("folder:a#owner@alice"), t("doc:a#owner@group:g#member")), List.of());
    assertEquals(4, store.find(new RelationQuery("doc", null, null, null), PageRequest.first()).items().size());
    assertEquals(3, store.find(new RelationQuery("doc", "a", null, null), PageRequest.first()).items().size());
    assertEquals(2, store.find(RelationQuery.of("doc", "a", "owner"), PageRequest.first()).items().size());
    assertEquals(4, store.find(RelationQuery.bySubject(new SubjectId("alice")), PageRequest.first()).items().size());
    assertEquals(List.of(t("doc:a#owner@group:g#member")), store.find(RelationQuery.bySubject(
        new SubjectSet("group", "g", "member")), PageRequest.first()).items());
    assertEquals(2, store.find(new RelationQuery("doc", null, "owner", new SubjectId("alice")), PageRequest.first())
        .items().size());
    assertTrue(store.find(new RelationQuery("nope", null, null, null), PageRequest.first()).items().isEmpty());
  }

  @Test
  void findWhenPagedThenHashOrderEveryTupleOnce() {
    RelationTupleStore store = newStore();
    List<RelationTuple> all = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      all.add(t("doc:d" + i + "#owner@u" + (i % 4)));
    }
    store.write(all, List.of());
    List<RelationTuple> seen = new ArrayList<>();
    String token = null;
    do {
      Page<RelationTuple> page = store.find(new RelationQuery("doc", null, null, null), new PageRequest(5, token));
      assertTrue(page.items().size() <= 5);
      seen.addAll(page.items());
      token = page.nextPageToken();
    } while (token != null);
    assertEquals(23, seen.size());
    assertEquals(new HashSet<>(all), new HashSet<>(seen));
    List<RelationTuple> sorted = new ArrayList<>(all);
    sorted.sort(Comparator.comparing(TupleKeys::hash));
    assertEquals(sorted, seen);
  }

  @Test
  void subjectSetsOfWhenMixedSubjectsThenOnlySetsUpToLimit() {
    RelationTupleStore store = newStore();
    store.write(List.of(t("doc:a#viewer@alice"), t("doc:a#viewer@group:g#member"), t("doc:a#viewer@group:h#member"),
        t("doc:a#viewer@group:i#member"), t("doc:b#viewer@group:x#member")), List.of());
    Set<SubjectSet> sets = Set.copyOf(store.subjectSetsOf(new SubjectSet("doc", "a", "viewer"), 10));
    assertEquals(Set.of(new SubjectSet("group", "g", "member"), new SubjectSet("group", "h", "member"),
        new SubjectSet("group", "i", "member")), sets);
    assertEquals(2, store.subjectSetsOf(new SubjectSet("doc", "a", "viewer"), 2).size());
    assertTrue(store.subjectSetsOf(new SubjectSet("doc", "zz", "viewer"), 10).isEmpty());
  }

  @Test
  void deleteWhenQueryThenMatchesGoneAndCounted() {
    RelationTupleStore store = newStore();
    store.write(List.of(t("doc:a#owner@alice"), t("doc:b#owner@alice"), t("doc:b#viewer@bob"),
        t("folder:f#owner@alice")), List.of());
    assertEquals(2, store.delete(new RelationQuery("doc", null, "owner", null)));
    assertEquals(2, store.find(RelationQuery.all(), PageRequest.first()).items().size());
    assertEquals(1, store.delete(RelationQuery.bySubject(new SubjectId("bob"))));
    assertEquals(0, store.delete(new RelationQuery("doc", null, null, null)));
  }

  @Test
  void deleteWhenEmptyQueryThenRefused() {
    RelationTupleStore store = newStore();
    store.write(List.of(t("doc:a#owner@alice")), List.of());
    assertThrows(OryException.class, () -> store.delete(RelationQuery.all()));
    assertTrue(store.exists(t("doc:a#owner@alice")));
  }

  @Test
  void writeWhenUnicodeAndLongValuesThenRoundTrip() {
    RelationTupleStore store = newStore();
    String longObject = "o".repeat(RelationTuple.MAX_LENGTH);
    RelationTuple unicode = RelationTuple.of("doc", "résumé-📄", "owner", "Zoë");
    RelationTuple big = RelationTuple.of("doc", longObject, "owner", "u");
    store.write(List.of(unicode, big), List.of());
    assertTrue(store.exists(unicode));
    assertTrue(store.exists(big));
    assertEquals(Set.of(unicode, big), Set.copyOf(store.find(RelationQuery.all(), PageRequest.first()).items()));
  }
}
