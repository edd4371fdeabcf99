/**
 * Storage and extension interfaces of the ACP engine: {@link io.ory4j.policy.acp.spi.PolicyStore}, {@link io.ory4j.policy.acp.spi.RoleStore} and custom condition types.
 */
@NullMarked
package io.ory4j.policy.acp.spi;

import org.jspecify.annotations.NullMarked;
