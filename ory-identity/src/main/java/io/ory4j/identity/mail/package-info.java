/** The courier's SMTP sender on Angus Mail (add {@code org.eclipse.angus:angus-mail} to use it). */
@NullMarked
package io.ory4j.identity.mail;

import org.jspecify.annotations.NullMarked;
