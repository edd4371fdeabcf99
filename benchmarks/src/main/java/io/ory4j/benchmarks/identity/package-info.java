/** Benchmarks of ory-identity: the cost of checking a second factor, of whoami with an AAL requirement, and of
 * checking a password against an imported crypt(3) hash. */
@NullMarked
package io.ory4j.benchmarks.identity;

import org.jspecify.annotations.NullMarked;
