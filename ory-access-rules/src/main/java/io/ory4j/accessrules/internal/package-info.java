/** Internals of the access-rule engine. Not API: anything here may change without notice. */
@NullMarked
package io.ory4j.accessrules.internal;

import org.jspecify.annotations.NullMarked;
