/** Conformance kit for the relation-tuple store SPI of ory-policy. */
@NullMarked
package io.ory4j.testkit.relations;

import org.jspecify.annotations.NullMarked;
