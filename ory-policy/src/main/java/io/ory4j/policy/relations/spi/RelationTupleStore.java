package io.ory4j.policy.relations.spi;

import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.policy.relations.RelationQuery;
import io.ory4j.policy.relations.RelationTuple;
import io.ory4j.policy.relations.SubjectSet;
import java.util.Collection;
import java.util.List;

/**
 * Keeps relation tuples. Implementations are thread-safe; the conformance kit {@code RelationTupleStoreContract}
 * states the contract as tests.
 *
 * <p>Pages are in {@link TupleKeys#hash(RelationTuple)} order, so every implementation pages the same way; a page
 * token is the hash of the last tuple of the previous page.
 */
public interface RelationTupleStore {

  /**
   * Inserts and deletes in one transaction: all or nothing. Inserting a tuple that exists, or deleting one that does
   * not, is not an error. Deletes apply before inserts.
   */
  void write(Collection<RelationTuple> insert, Collection<RelationTuple> delete);

  /** True when exactly this tuple is stored. */
  boolean exists(RelationTuple tuple);

  /** The tuples matching {@code query}, one page. */
  Page<RelationTuple> find(RelationQuery query, PageRequest page);

  /**
   * The subject sets that are subjects of {@code namespace:object#relation} (the tuples to expand in a check), at
   * most {@code limit}.
   */
  List<SubjectSet> subjectSetsOf(SubjectSet set, int limit);

  /** Deletes every tuple matching {@code query} (which must set at least one field); returns how many. */
  int delete(RelationQuery query);
}
