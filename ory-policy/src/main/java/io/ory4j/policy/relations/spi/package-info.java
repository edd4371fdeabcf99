/**
 * Storage SPI of the relation-tuple engine: {@link io.ory4j.policy.relations.spi.RelationTupleStore}. Prove your own
 * implementation with {@code RelationTupleStoreContract} from ory-testkit.
 */
@NullMarked
package io.ory4j.policy.relations.spi;

import org.jspecify.annotations.NullMarked;
