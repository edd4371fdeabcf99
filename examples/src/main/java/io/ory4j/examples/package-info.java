/**
 * Runnable example apps that wire the ory4j parts together on embedded Jetty. {@link io.ory4j.examples.ExampleServer}
 * is the main example: a public and an admin port as Ory's servers have, configured by Ory's environment variables.
 */
@NullMarked
package io.ory4j.examples;

import org.jspecify.annotations.NullMarked;
