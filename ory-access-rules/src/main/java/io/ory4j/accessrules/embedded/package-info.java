/**
 * In-process shortcuts to the other ory4j engines when they run in the same process: {@code keto_engine_acp_ory}
 * asks an embedded {@code PolicyEngine}, {@code oauth2_introspection} an embedded {@code OAuth2Provider}, and
 * {@code cookie_session}/{@code bearer_token} an embedded {@code IdentityService}; and {@link
 * io.ory4j.accessrules.embedded.InProcessHttpClient} answers the remote handlers' calls to chosen URLs in process
 * (for example {@code remote_json} to Keto's relation-tuple check). Each class needs only its own engine on the
 * classpath (the dependencies are optional).
 */
@NullMarked
package io.ory4j.accessrules.embedded;

import org.jspecify.annotations.NullMarked;
