/**
 * Storage conventions shared by every module: token-based pagination in Ory's shape
 * ({@code page_size}, {@code page_token}, {@code Link} headers) and the storage exceptions.
 */
@NullMarked
package io.ory4j.core.storage;

import org.jspecify.annotations.NullMarked;
