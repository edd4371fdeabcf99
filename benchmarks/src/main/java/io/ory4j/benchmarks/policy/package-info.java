/**
 * JMH benchmarks of ory-policy's ACP engine against jCasbin on equivalent models and data, in the same run.
 */
package io.ory4j.benchmarks.policy;
