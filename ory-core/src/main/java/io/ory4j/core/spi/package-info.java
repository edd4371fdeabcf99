/**
 * Storage SPI of ory-core: {@link io.ory4j.core.spi.JwkSetStore}. Implement it to keep keys in your own store,
 * and prove the implementation with {@code JwkSetStoreContract} from ory-testkit.
 */
@NullMarked
package io.ory4j.core.spi;

import org.jspecify.annotations.NullMarked;
