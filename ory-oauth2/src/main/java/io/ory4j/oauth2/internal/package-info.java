/**
 * Implementation details of the provider (token codec, secret hashing, client authentication, flows). Not API: it may change in any release.
 */
@NullMarked
package io.ory4j.oauth2.internal;

import org.jspecify.annotations.NullMarked;
