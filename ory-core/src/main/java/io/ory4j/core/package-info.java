/**
 * ory-core, the shared kernel of ory4j: JSON, errors, clock and ids, keys, config, storage conventions, JDBC and
 * migrations, and a framework-neutral HTTP model. Every engine module builds on it.
 */
@NullMarked
package io.ory4j.core;

import org.jspecify.annotations.NullMarked;
