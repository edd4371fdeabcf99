/** Benchmarks of ory-identity: the cost of checking a second factor and of whoami with an AAL requirement. */
@NullMarked
package io.ory4j.benchmarks.identity;

import org.jspecify.annotations.NullMarked;
