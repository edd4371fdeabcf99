/**
 * Injectable generators for ids (UUID v4 and v7) and random secrets.
 */
@NullMarked
package io.ory4j.core.id;

import org.jspecify.annotations.NullMarked;
