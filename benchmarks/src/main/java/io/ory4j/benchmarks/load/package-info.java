/**
 * Sustained load against the example server in its own JVM (not JMH): throughput, latency percentiles, errors and
 * heap after the run, for {@code docs/reliability.md}.
 */
@NullMarked
package io.ory4j.benchmarks.load;

import org.jspecify.annotations.NullMarked;
