/** Conformance kits for the identity and session store SPIs of ory-identity. */
@NullMarked
package io.ory4j.testkit.identity;

import org.jspecify.annotations.NullMarked;
