/**
 * JMH benchmarks of ory4j, one subpackage per module, with peers measured in the same run. Run with
 * {@code java -jar benchmarks/target/ory4j-benchmarks.jar <regex>}; see benchmarks/README.md.
 */
@NullMarked
package io.ory4j.benchmarks;

import org.jspecify.annotations.NullMarked;
