/** Benchmarks of ory-core: the signing cost that bounds every JWT the other modules issue. */
@NullMarked
package io.ory4j.benchmarks.core;

import org.jspecify.annotations.NullMarked;
