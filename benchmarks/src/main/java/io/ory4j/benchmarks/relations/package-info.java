/** Benchmarks of the relation-tuple engine of ory-policy (Keto's Zanzibar part). */
@NullMarked
package io.ory4j.benchmarks.relations;

import org.jspecify.annotations.NullMarked;
