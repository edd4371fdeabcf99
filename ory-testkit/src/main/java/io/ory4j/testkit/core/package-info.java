/**
 * Conformance kits for the ory-core SPIs.
 */
@NullMarked
package io.ory4j.testkit.core;

import org.jspecify.annotations.NullMarked;
