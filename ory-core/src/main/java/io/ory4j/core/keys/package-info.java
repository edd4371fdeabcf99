/**
 * JSON Web Key set management: create RS256, ES256 and EdDSA keys, list, get, rotate, delete, and the public view.
 * Private keys are stored encrypted under the system secret.
 */
@NullMarked
package io.ory4j.core.keys;

import org.jspecify.annotations.NullMarked;
