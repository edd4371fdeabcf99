/**
 * URL matching for access rules: the {@code regexp} strategy (RE2/J, or java.util.regex under a deadline for
 * lookaround), the {@code glob} strategy translated to RE2/J, path cleaning, and the host/method/literal-prefix index.
 * Not API.
 */
@NullMarked
package io.ory4j.accessrules.internal.matching;

import org.jspecify.annotations.NullMarked;
