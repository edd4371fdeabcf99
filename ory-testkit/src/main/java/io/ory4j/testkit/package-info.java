/**
 * ory-testkit: the SPI conformance kits. Each {@code <Spi>Contract} is an abstract JUnit Jupiter class; extend it,
 * implement {@code newStore()}, and the same tests that check ory4j's own stores check yours. Also test helpers shared
 * by every kit: {@link io.ory4j.testkit.TestClock}.
 */
@NullMarked
package io.ory4j.testkit;

import org.jspecify.annotations.NullMarked;
