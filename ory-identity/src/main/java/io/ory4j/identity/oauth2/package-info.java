/**
 * A ready login, consent and logout provider for ory-oauth2 (Hydra's login and consent app) that answers its
 * challenges with ory-identity's sessions in process, as Kratos and Hydra do together: {@link
 * io.ory4j.identity.oauth2.LoginConsentProvider}. Needs {@code io.ory4j:ory-oauth2} on the class path (an optional
 * dependency of ory-identity).
 */
@NullMarked
package io.ory4j.identity.oauth2;

import org.jspecify.annotations.NullMarked;
