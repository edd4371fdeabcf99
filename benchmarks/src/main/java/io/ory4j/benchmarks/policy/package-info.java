/**
 * JMH benchmarks of ory-policy's ACP engine against jCasbin on equivalent models and data, in the same run.
 */
@NullMarked
package io.ory4j.benchmarks.policy;

import org.jspecify.annotations.NullMarked;
