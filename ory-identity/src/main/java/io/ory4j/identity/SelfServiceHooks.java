package io.ory4j.identity;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.identity.spi.SelfServiceHook;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The hooks after registration, login, recovery, settings and verification, with Kratos' names and configuration
 * shape: {@code selfservice.flows.<flow>.after.hooks} and {@code selfservice.flows.<flow>.after.<method>.hooks}. As in
 * Kratos, the hooks of the method replace the flow's general hooks when there are any. A second-factor login
 * ({@code aal=aal2}) runs the login hooks of its method ({@code totp}, {@code lookup_secret}, {@code webauthn}), and a
 * refresh login ({@code refresh=true}) those of the method it re-authenticated with, as Kratos.
 *
 * <p>Web hooks that can interrupt ({@code can_interrupt}) or change the identity ({@code response.parse}) run before
 * the change is stored, in registration and in settings; the others after it.
 *
 * <p>Registration takes {@code session} (sign the new identity in; without it no session is issued, as Kratos),
 * {@code show_verification_ui}, {@code web_hook} and in-process hooks. Login takes {@code revoke_active_sessions},
 * {@code require_verified_address}, {@code web_hook} and in-process hooks. {@link #none()} is Kratos' default: no
 * hooks at all.
 *
 * @param registrationAfter {@code selfservice.flows.registration.after.hooks}
 * @param registrationAfterPassword {@code selfservice.flows.registration.after.password.hooks}
 * @param loginAfter {@code selfservice.flows.login.after.hooks}
 * @param loginAfterPassword {@code selfservice.flows.login.after.password.hooks}
 * @param recoveryAfter {@code selfservice.flows.recovery.after.hooks} ({@code revoke_active_sessions},
 *     {@code web_hook}, in-process hooks), run when a recovery signs the identity in
 * @param settingsAfter {@code selfservice.flows.settings.after.hooks} ({@code revoke_active_sessions} revokes the
 *     identity's other sessions, {@code web_hook}, in-process hooks), run after a settings change is stored
 * @param settingsAfterPassword {@code selfservice.flows.settings.after.password.hooks}, replacing the general list for
 *     a password change
 * @param verificationAfter {@code selfservice.flows.verification.after.hooks} ({@code web_hook}, in-process hooks),
 *     run after an address was verified
 * @param afterMethods the hooks of the other methods, keyed {@code <flow>.<method>}: {@code login.totp} is
 *     {@code selfservice.flows.login.after.totp.hooks}; login methods {@link #LOGIN_METHODS}, registration methods
 *     {@link #REGISTRATION_METHODS}, settings methods {@link #SETTINGS_METHODS} (the {@code password} lists are the
 *     components above). As in Kratos, a method's non-empty list replaces the flow's general one.
 */
public record SelfServiceHooks(List<Hook> registrationAfter, List<Hook> registrationAfterPassword,
    List<Hook> loginAfter, List<Hook> loginAfterPassword, List<Hook> recoveryAfter, List<Hook> settingsAfter,
    List<Hook> settingsAfterPassword, List<Hook> verificationAfter, Map<String, List<Hook>> afterMethods) {

  /** Kratos' login methods with their own {@code selfservice.flows.login.after.<method>.hooks}. */
  public static final List<String> LOGIN_METHODS = List.of("password", "totp", "lookup_secret", "webauthn",
      "passkey", "oidc", "code");
  /** Kratos' registration methods with their own {@code selfservice.flows.registration.after.<method>.hooks}. */
  public static final List<String> REGISTRATION_METHODS = List.of("password", "webauthn", "passkey", "oidc", "code");
  /** Kratos' settings methods with their own {@code selfservice.flows.settings.after.<method>.hooks}. */
  public static final List<String> SETTINGS_METHODS = List.of("password", "profile", "totp", "lookup_secret",
      "webauthn", "passkey", "oidc");

  /** Hooks without per-method lists beyond {@code password}. */
  public SelfServiceHooks(List<Hook> registrationAfter, List<Hook> registrationAfterPassword, List<Hook> loginAfter,
      List<Hook> loginAfterPassword, List<Hook> recoveryAfter, List<Hook> settingsAfter,
      List<Hook> settingsAfterPassword, List<Hook> verificationAfter) {
    this(registrationAfter, registrationAfterPassword, loginAfter, loginAfterPassword, recoveryAfter, settingsAfter,
        settingsAfterPassword, verificationAfter, Map.of());
  }

  /** Hooks without any after verification. */
  public SelfServiceHooks(List<Hook> registrationAfter, List<Hook> registrationAfterPassword, List<Hook> loginAfter,
      List<Hook> loginAfterPassword, List<Hook> recoveryAfter, List<Hook> settingsAfter,
      List<Hook> settingsAfterPassword) {
    this(registrationAfter, registrationAfterPassword, loginAfter, loginAfterPassword, recoveryAfter, settingsAfter,
        settingsAfterPassword, List.of());
  }

  /** Hooks without any after recovery and settings. */
  public SelfServiceHooks(List<Hook> registrationAfter, List<Hook> registrationAfterPassword, List<Hook> loginAfter,
      List<Hook> loginAfterPassword) {
    this(registrationAfter, registrationAfterPassword, loginAfter, loginAfterPassword, List.of());
  }

  /** Hooks without any after settings. */
  public SelfServiceHooks(List<Hook> registrationAfter, List<Hook> registrationAfterPassword, List<Hook> loginAfter,
      List<Hook> loginAfterPassword, List<Hook> recoveryAfter) {
    this(registrationAfter, registrationAfterPassword, loginAfter, loginAfterPassword, recoveryAfter, List.of(),
        List.of());
  }

  public SelfServiceHooks {
    registrationAfter = checked("selfservice.flows.registration.after.hooks", registrationAfter, false);
    registrationAfterPassword = checked("selfservice.flows.registration.after.password.hooks",
        registrationAfterPassword, false);
    loginAfter = checked("selfservice.flows.login.after.hooks", loginAfter, true);
    loginAfterPassword = checked("selfservice.flows.login.after.password.hooks", loginAfterPassword, true);
    recoveryAfter = sessionHooks("selfservice.flows.recovery.after.hooks", recoveryAfter);
    settingsAfter = sessionHooks("selfservice.flows.settings.after.hooks", settingsAfter);
    settingsAfterPassword = sessionHooks("selfservice.flows.settings.after.password.hooks", settingsAfterPassword);
    verificationAfter = List.copyOf(verificationAfter);
    for (Hook h : verificationAfter) {
      if (!(h instanceof WebHookHook) && !(h instanceof Custom)) {
        throw new IllegalArgumentException("selfservice.flows.verification.after.hooks: hook \"" + h.hook()
            + "\" is not available here (web_hook)");
      }
    }
    Map<String, List<Hook>> methods = new TreeMap<>();
    for (Map.Entry<String, List<Hook>> e : afterMethods.entrySet()) {
      String k = Objects.requireNonNull(e.getKey(), "afterMethods key");
      int dot = k.indexOf('.');
      String flow = dot < 0 ? "" : k.substring(0, dot);
      String method = dot < 0 ? "" : k.substring(dot + 1);
      String key = "selfservice.flows." + flow + ".after." + method + ".hooks";
      List<Hook> list = switch (flow) {
        case "login" -> LOGIN_METHODS.contains(method) ? checked(key, e.getValue(), true) : null;
        case "registration" -> REGISTRATION_METHODS.contains(method) ? checked(key, e.getValue(), false) : null;
        case "settings" -> SETTINGS_METHODS.contains(method) ? sessionHooks(key, e.getValue()) : null;
        default -> null;
      };
      if (list == null || method.equals("password")) {
        throw new IllegalArgumentException("afterMethods: \"" + k + "\" is not <flow>.<method> with a method of "
            + "login " + LOGIN_METHODS + ", registration " + REGISTRATION_METHODS + " or settings " + SETTINGS_METHODS
            + " (password has its own component)");
      }
      if (!list.isEmpty()) {
        methods.put(k, list);
      }
    }
    afterMethods = Collections.unmodifiableMap(new LinkedHashMap<>(methods));
  }

  /** A copy with {@code selfservice.flows.login.after.<method>.hooks} set (password included). */
  public SelfServiceHooks withLoginAfter(String method, List<Hook> hooks) {
    return "password".equals(method) ? withLoginAfterPassword(hooks) : withMethod("login." + method, hooks);
  }

  /** A copy with {@code selfservice.flows.registration.after.<method>.hooks} set (password included). */
  public SelfServiceHooks withRegistrationAfter(String method, List<Hook> hooks) {
    return "password".equals(method) ? withRegistrationAfterPassword(hooks)
        : withMethod("registration." + method, hooks);
  }

  /** A copy with {@code selfservice.flows.settings.after.<method>.hooks} set (password included). */
  public SelfServiceHooks withSettingsAfter(String method, List<Hook> hooks) {
    return "password".equals(method) ? withSettingsAfterPassword(hooks) : withMethod("settings." + method, hooks);
  }

  private SelfServiceHooks withMethod(String key, List<Hook> hooks) {
    Map<String, List<Hook>> m = new LinkedHashMap<>(afterMethods);
    m.put(key, hooks);
    return new SelfServiceHooks(registrationAfter, registrationAfterPassword, loginAfter, loginAfterPassword,
        recoveryAfter, settingsAfter, settingsAfterPassword, verificationAfter, m);
  }

  /** The method's own list, else the flow's general one (Kratos never merges the two). */
  private List<Hook> ofMethod(String flow, @Nullable String method, List<Hook> password, List<Hook> general) {
    List<Hook> own = "password".equals(method) ? password : afterMethods.getOrDefault(flow + "." + method, List.of());
    return own.isEmpty() ? general : own;
  }

  public SelfServiceHooks withVerificationAfter(List<Hook> hooks) {
    return new SelfServiceHooks(registrationAfter, registrationAfterPassword, loginAfter, loginAfterPassword,
        recoveryAfter, settingsAfter, settingsAfterPassword, hooks, afterMethods);
  }

  /** Recovery and settings take revoke_active_sessions, web_hook and in-process hooks. */
  private static List<Hook> sessionHooks(String key, List<Hook> hooks) {
    List<Hook> checked = checked(key, hooks, true);
    if (checked.contains(Builtin.REQUIRE_VERIFIED_ADDRESS)) {
      throw new IllegalArgumentException(key + ": hook \"require_verified_address\" is not available here "
          + "(revoke_active_sessions, web_hook)");
    }
    return checked;
  }

  /** The hooks that run after a settings change with {@code method}: the method's, else the general ones. */
  public List<Hook> settings(String method) {
    return ofMethod("settings", method, settingsAfterPassword, settingsAfter);
  }

  public SelfServiceHooks withSettingsAfter(List<Hook> hooks) {
    return new SelfServiceHooks(registrationAfter, registrationAfterPassword, loginAfter, loginAfterPassword,
        recoveryAfter, hooks, settingsAfterPassword, verificationAfter, afterMethods);
  }

  public SelfServiceHooks withSettingsAfterPassword(List<Hook> hooks) {
    return new SelfServiceHooks(registrationAfter, registrationAfterPassword, loginAfter, loginAfterPassword,
        recoveryAfter, settingsAfter, hooks, verificationAfter, afterMethods);
  }

  private static List<Hook> checked(String key, List<Hook> hooks, boolean login) {
    for (Hook h : hooks) {
      Objects.requireNonNull(h, key);
      boolean ok = h instanceof WebHookHook || h instanceof Custom || (login
          ? h == Builtin.REVOKE_ACTIVE_SESSIONS || h == Builtin.REQUIRE_VERIFIED_ADDRESS
          : h == Builtin.SESSION || h == Builtin.SHOW_VERIFICATION_UI);
      if (!ok) {
        throw new IllegalArgumentException(key + ": hook \"" + h.hook() + "\" is not available here (registration: "
            + "session, show_verification_ui, web_hook; login: revoke_active_sessions, require_verified_address, web_hook)");
      }
    }
    return List.copyOf(hooks);
  }

  /** No hooks (Kratos' default): registration issues no session. */
  public static SelfServiceHooks none() {
    return new SelfServiceHooks(List.of(), List.of(), List.of(), List.of());
  }

  /** Registration with a password signs the new identity in (Kratos' {@code session} hook on the password method). */
  public static SelfServiceHooks sessionAfterRegistration() {
    return none().withRegistrationAfterPassword(List.of(Hook.session()));
  }

  public SelfServiceHooks withRegistrationAfter(List<Hook> hooks) {
    return new SelfServiceHooks(hooks, registrationAfterPassword, loginAfter, loginAfterPassword, recoveryAfter,
        settingsAfter, settingsAfterPassword, verificationAfter, afterMethods);
  }

  public SelfServiceHooks withRegistrationAfterPassword(List<Hook> hooks) {
    return new SelfServiceHooks(registrationAfter, hooks, loginAfter, loginAfterPassword, recoveryAfter,
        settingsAfter, settingsAfterPassword, verificationAfter, afterMethods);
  }

  public SelfServiceHooks withLoginAfter(List<Hook> hooks) {
    return new SelfServiceHooks(registrationAfter, registrationAfterPassword, hooks, loginAfterPassword,
        recoveryAfter, settingsAfter, settingsAfterPassword, verificationAfter, afterMethods);
  }

  public SelfServiceHooks withLoginAfterPassword(List<Hook> hooks) {
    return new SelfServiceHooks(registrationAfter, registrationAfterPassword, loginAfter, hooks, recoveryAfter,
        settingsAfter, settingsAfterPassword, verificationAfter, afterMethods);
  }

  public SelfServiceHooks withRecoveryAfter(List<Hook> hooks) {
    return new SelfServiceHooks(registrationAfter, registrationAfterPassword, loginAfter, loginAfterPassword, hooks,
        settingsAfter, settingsAfterPassword, verificationAfter, afterMethods);
  }

  /** The hooks that run after a registration with {@code method}: the method's, else the general ones. */
  public List<Hook> registration(String method) {
    return ofMethod("registration", method, registrationAfterPassword, registrationAfter);
  }

  /** The hooks that run after a login with {@code method}: the method's, else the general ones. */
  public List<Hook> login(String method) {
    return ofMethod("login", method, loginAfterPassword, loginAfter);
  }

  /**
   * Reads Kratos' {@code selfservice.flows} object: {@code registration.after.hooks},
   * {@code registration.after.password.hooks}, {@code login.after.hooks}, {@code login.after.password.hooks}.
   *
   * @throws IllegalArgumentException naming the key and the reason
   */
  public static SelfServiceHooks fromKratosFlows(JsonNode flows) {
    JsonNode reg = flows.path("registration").path("after");
    JsonNode login = flows.path("login").path("after");
    JsonNode settings = flows.path("settings").path("after");
    Map<String, List<Hook>> methods = new LinkedHashMap<>();
    perMethod(methods, "login", login, LOGIN_METHODS);
    perMethod(methods, "registration", reg, REGISTRATION_METHODS);
    perMethod(methods, "settings", settings, SETTINGS_METHODS);
    return new SelfServiceHooks(
        parse("selfservice.flows.registration.after.hooks", reg.path("hooks")),
        parse("selfservice.flows.registration.after.password.hooks", reg.path("password").path("hooks")),
        parse("selfservice.flows.login.after.hooks", login.path("hooks")),
        parse("selfservice.flows.login.after.password.hooks", login.path("password").path("hooks")),
        parse("selfservice.flows.recovery.after.hooks", flows.path("recovery").path("after").path("hooks")),
        parse("selfservice.flows.settings.after.hooks", settings.path("hooks")),
        parse("selfservice.flows.settings.after.password.hooks", settings.path("password").path("hooks")),
        parse("selfservice.flows.verification.after.hooks", flows.path("verification").path("after").path("hooks")),
        methods);
  }

  private static void perMethod(Map<String, List<Hook>> out, String flow, JsonNode after, List<String> methods) {
    for (String m : methods) {
      if (!m.equals("password")) {
        List<Hook> hooks = parse("selfservice.flows." + flow + ".after." + m + ".hooks", after.path(m).path("hooks"));
        if (!hooks.isEmpty()) {
          out.put(flow + "." + m, hooks);
        }
      }
    }
  }

  /**
   * Reads one Kratos hook list, such as the value of {@code SELFSERVICE_FLOWS_REGISTRATION_AFTER_PASSWORD_HOOKS}:
   * {@code [{"hook": "session"}, {"hook": "web_hook", "config": {...}}]}. Missing or null is an empty list.
   *
   * @throws IllegalArgumentException naming {@code key}, the entry and the reason
   */
  public static List<Hook> parse(String key, JsonNode list) {
    if (list.isMissingNode() || list.isNull()) {
      return List.of();
    }
    if (!list.isArray()) {
      throw new IllegalArgumentException(key + " must be a list of {\"hook\": ..., \"config\": ...}");
    }
    List<Hook> out = new ArrayList<>();
    int i = 0;
    for (JsonNode entry : list) {
      String at = key + "[" + i++ + "]";
      for (Iterator<String> it = entry.fieldNames(); it.hasNext();) {
        String f = it.next();
        if (!f.equals("hook") && !f.equals("config")) {
          throw new IllegalArgumentException(at + " has an unknown field \"" + f + "\"");
        }
      }
      String name = entry.path("hook").asText("");
      out.add(switch (name) {
        case "session" -> Hook.session();
        case "revoke_active_sessions" -> Hook.revokeActiveSessions();
        case "require_verified_address" -> Hook.requireVerifiedAddress();
        case "web_hook" -> {
          try {
            yield Hook.webHook(WebHook.fromKratosConfig(entry.path("config")));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
          }
        }
        case "show_verification_ui" -> Hook.showVerificationUi();
        default -> throw new IllegalArgumentException(at + ": unknown hook \"" + name + "\" (known: session, "
            + "revoke_active_sessions, require_verified_address, show_verification_ui, web_hook)");
      });
    }
    return List.copyOf(out);
  }

  /** One hook. */
  public sealed interface Hook permits Builtin, WebHookHook, Custom {
    /** Kratos' hook name, the {@code hook} key ({@code custom} for an in-process hook). */
    String hook();

    static Hook session() {
      return Builtin.SESSION;
    }

    static Hook revokeActiveSessions() {
      return Builtin.REVOKE_ACTIVE_SESSIONS;
    }

    static Hook showVerificationUi() {
      return Builtin.SHOW_VERIFICATION_UI;
    }

    static Hook requireVerifiedAddress() {
      return Builtin.REQUIRE_VERIFIED_ADDRESS;
    }

    static Hook webHook(WebHook config) {
      return new WebHookHook(config);
    }

    /** An in-process Java hook. */
    static Hook custom(SelfServiceHook hook) {
      return new Custom(hook);
    }
  }

  /** The hooks without configuration. */
  public enum Builtin implements Hook {
    /** {@code session}: registration signs the new identity in. */
    SESSION("session"),
    /** {@code revoke_active_sessions}: a login revokes the identity's other sessions. */
    REVOKE_ACTIVE_SESSIONS("revoke_active_sessions"),
    /** {@code require_verified_address}: a password login needs a verified address (message 4000010). */
    REQUIRE_VERIFIED_ADDRESS("require_verified_address"),
    /**
     * {@code show_verification_ui} (registration): a browser goes on to the verification flow started for the new
     * address instead of {@code return_to}.
     */
    SHOW_VERIFICATION_UI("show_verification_ui");

    private final String hook;

    Builtin(String hook) {
      this.hook = hook;
    }

    @Override
    public String hook() {
      return hook;
    }
  }

  /** {@code web_hook}. */
  public record WebHookHook(WebHook config) implements Hook {
    public WebHookHook {
      Objects.requireNonNull(config, "config");
    }

    @Override
    public String hook() {
      return "web_hook";
    }
  }

  /** An in-process hook (beyond Kratos). */
  public record Custom(SelfServiceHook implementation) implements Hook {
    public Custom {
      Objects.requireNonNull(implementation, "implementation");
    }

    @Override
    public String hook() {
      return "custom";
    }
  }
}
