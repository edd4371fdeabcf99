package io.ory4j.identity;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * A Kratos UI message ({@code ui.messages[]} or a node's {@code messages[]}): Kratos' numeric id, text and type, so a
 * UI written for Kratos translates ours the same way.
 *
 * @param id Kratos' message id, such as 4000006
 * @param text the English text Kratos shows
 * @param type {@code error}, {@code info} or {@code success}
 * @param context the values the text was made from
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record UiMessage(@JsonProperty("id") long id, @JsonProperty("text") String text,
    @JsonProperty("type") String type, @JsonProperty("context") Map<String, Object> context) {

  public UiMessage {
    context = context == null ? Map.of() : Map.copyOf(context);
  }

  public static UiMessage error(long id, String text) {
    return new UiMessage(id, text, "error", Map.of());
  }

  /** 4000006: unknown identifier or wrong password, the same for both so accounts cannot be enumerated. */
  public static UiMessage invalidCredentials() {
    return error(4000006, "The provided credentials are invalid, check for spelling mistakes in your password or "
        + "username, email address, or phone number.");
  }

  /** 4000007: the identifier is taken. */
  public static UiMessage duplicateIdentifier() {
    return error(4000007, "An account with the same identifier (email, phone, username, ...) exists already.");
  }

  /** 4000005: the password policy refused the password. */
  public static UiMessage passwordPolicy(String reason) {
    return new UiMessage(4000005, "The password can not be used because " + reason + ".", "error",
        Map.of("reason", reason));
  }

  /** 4000031: too similar to the identifier. */
  public static UiMessage passwordTooSimilar() {
    return error(4000031, "The password can not be used because it is too similar to the identifier.");
  }

  /** 4000034: found in data breaches. */
  public static UiMessage passwordBreached() {
    return error(4000034, "The password has been found in data breaches and must no longer be used.");
  }

  /** 4000900 (ory4j, beyond Kratos): too many failed logins for this identifier. */
  public static UiMessage loginThrottled(long retryAfterSeconds) {
    return new UiMessage(4000900, "Too many failed login attempts; try again in " + retryAfterSeconds + " seconds.",
        "error", Map.of("retry_after_seconds", retryAfterSeconds));
  }

  /** 4000008: the TOTP code is wrong (or was already used in its time step). */
  public static UiMessage totpCodeInvalid() {
    return error(4000008, "The provided authentication code is invalid, please try again.");
  }

  /** 4000011: the identity has no TOTP device. */
  public static UiMessage noTotpDevice() {
    return error(4000011, "You have no TOTP device set up.");
  }

  /** 4000012: the lookup secret was used before. */
  public static UiMessage lookupSecretAlreadyUsed() {
    return error(4000012, "This backup recovery code has already been used.");
  }

  /** 4000014: the identity has no lookup secrets. */
  public static UiMessage noLookupSecrets() {
    return error(4000014, "You have no backup recovery codes set up.");
  }

  /** 4000016: the lookup secret is not one of the identity's. */
  public static UiMessage lookupSecretInvalid() {
    return error(4000016, "The backup recovery code is not valid.");
  }

  /** 4000013: the identity has no WebAuthn key for this step. */
  public static UiMessage noWebAuthnDevice() {
    return error(4000013, "You have no WebAuthn device set up.");
  }

  /** 4000015: no identity with a security key for this identifier (the same for both, against enumeration). */
  public static UiMessage noWebAuthnUser() {
    return error(4000015, "This account does not exist or has no security key set up.");
  }

  /**
   * 4000001 (Kratos' generic validation error): a WebAuthn ceremony that did not verify; {@code text} says which
   * check failed (origin, relying party, challenge, signature, user verification), never a key or a challenge.
   */
  public static UiMessage webAuthnRefused(String text) {
    return error(4000001, text);
  }

  /** 4000001 on {@code webauthn_remove} / {@code passkey_remove}: removing the key would leave no way to sign in. */
  public static UiMessage notEnoughCredentials() {
    return error(4000001, "unable to remove this security key because it would lock you out of your account");
  }

  /** 4000010: a password login needs a verified address ({@code require_verified_address}). */
  public static UiMessage addressNotVerified() {
    return error(4000010, "Account not active yet. Did you forget to verify your email address?");
  }

  /**
   * 4000901 (ory4j, beyond Kratos): too many failed logins from this client address; the same for every identifier,
   * known or not.
   */
  public static UiMessage loginThrottledByAddress(long retryAfterSeconds) {
    return new UiMessage(4000901, "Too many failed login attempts from your network; try again in "
        + retryAfterSeconds + " seconds.", "error", Map.of("retry_after_seconds", retryAfterSeconds));
  }

  /** 1080003: a verification code was sent (also said for an unknown address, so accounts cannot be enumerated). */
  public static UiMessage verificationCodeSent() {
    return new UiMessage(1080003, "An email containing a verification code has been sent to the email address you "
        + "provided. If you have not received an email, check the spelling of the address and make sure to use the "
        + "address you registered with.", "info", Map.of());
  }

  /** 1080001: a verification link was sent (also said for an unknown address). */
  public static UiMessage verificationLinkSent() {
    return new UiMessage(1080001, "An email containing a verification link has been sent to the email address you "
        + "provided.", "info", Map.of());
  }

  /** 1080002: the address is verified. */
  public static UiMessage verificationSuccessful() {
    return new UiMessage(1080002, "You successfully verified your email address.", "info", Map.of());
  }

  /** 4070006: the verification code is wrong, expired, used, or tried too often. */
  public static UiMessage verificationCodeInvalid() {
    return error(4070006, "The verification code is invalid or has already been used. Please try again.");
  }

  /** 4070001: the verification link's token is wrong, expired or used. */
  public static UiMessage verificationTokenInvalid() {
    return error(4070001, "The verification token is invalid or has already been used. Please retry the flow.");
  }

  /** 1060003: a recovery code was sent (also said for an unknown address). */
  public static UiMessage recoveryCodeSent() {
    return new UiMessage(1060003, "An email containing a recovery code has been sent to the email address you "
        + "provided. If you have not received an email, check the spelling of the address and make sure to use the "
        + "address you registered with.", "info", Map.of());
  }

  /** 1060002: a recovery link was sent (also said for an unknown address). */
  public static UiMessage recoveryLinkSent() {
    return new UiMessage(1060002, "An email containing a recovery link has been sent to the email address you "
        + "provided.", "info", Map.of());
  }

  /** 1060001: the account is recovered; the privileged session lasts {@code minutes}. */
  public static UiMessage recoverySuccessful(double minutes) {
    return new UiMessage(1060001, String.format(java.util.Locale.ROOT, "You successfully recovered your account. "
        + "Please change your password or set up an alternative login method (e.g. social sign in) within the next "
        + "%.2f minutes.", minutes), "info", Map.of());
  }

  /** 4060006: the recovery code is wrong, expired, used, or tried too often. */
  public static UiMessage recoveryCodeInvalid() {
    return error(4060006, "The recovery code is invalid or has already been used. Please try again.");
  }

  /** 4060004: the recovery link's token is wrong, expired or used. */
  public static UiMessage recoveryTokenInvalid() {
    return error(4060004, "The recovery token is invalid or has already been used. Please retry the flow.");
  }
}
