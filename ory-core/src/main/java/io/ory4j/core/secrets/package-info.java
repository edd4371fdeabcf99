/**
 * System secrets (a rotating list, as Hydra's {@code secrets.system}), AES-GCM encryption at rest, and
 * constant-time comparison.
 */
@NullMarked
package io.ory4j.core.secrets;

import org.jspecify.annotations.NullMarked;
