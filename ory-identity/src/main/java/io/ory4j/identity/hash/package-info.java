/**
 * Password hashing as Kratos does it: bcrypt (cost 12) by default, argon2id as the other choice, rehash detection
 * when the configured algorithm or parameters change, and verification of every hash format Kratos imports
 * (argon2id, argon2i, bcrypt, pbkdf2, scrypt, Firebase scrypt, salted and unsalted SHA and MD5, SSHA, HMAC), with
 * parameter bounds so an imported hash cannot make a login expensive.
 */
@NullMarked
package io.ory4j.identity.hash;

import org.jspecify.annotations.NullMarked;
