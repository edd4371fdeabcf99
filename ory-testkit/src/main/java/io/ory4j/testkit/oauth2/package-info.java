/**
 * Conformance kits for the storage SPIs of ory-oauth2: abstract JUnit Jupiter classes that a store implementation
 * extends with a {@code newStore()} factory.
 */
@NullMarked
package io.ory4j.testkit.oauth2;

import org.jspecify.annotations.NullMarked;
