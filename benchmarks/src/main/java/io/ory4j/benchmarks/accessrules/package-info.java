/** JMH benchmarks of the access-rule pipeline: decision cost by rule count, and with JWT and introspection. */
@NullMarked
package io.ory4j.benchmarks.accessrules;

import org.jspecify.annotations.NullMarked;
