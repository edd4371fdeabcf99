/**
 * The subset of Go's text/template that Oathkeeper's rules use in mutators and remote authorizers: field chains
 * over the session, {@code print}, {@code printIndex}, {@code index}, {@code urlquery}/{@code urlencode},
 * {@code toJson}, {@code default}, {@code lower}, {@code upper}, {@code trim}, {@code quote}, pipelines with
 * {@code |}, and {@code Header.Get}. Anything else is refused when the rule loads. Not API.
 */
@NullMarked
package io.ory4j.accessrules.internal.template;

import org.jspecify.annotations.NullMarked;
