/**
 * Typed configuration: keys with parsers and defaults, read from code, environment variables (Ory's names)
 * and a YAML or JSON file, with precedence environment &gt; file &gt; default; a bad value fails at start with the key and
 * the reason.
 */
@NullMarked
package io.ory4j.core.config;

import org.jspecify.annotations.NullMarked;
