package io.ory4j.accessrules.spi;

/**
 * Makes a configured handler from its merged config (global config overridden by the rule's), once per rule when
 * the rule set loads. A factory refuses a bad config by throwing {@link HandlerConfig.InvalidConfigException}, which
 * refuses the rule set with the rule id and field.
 *
 * @param <T> {@link Authenticator}, {@link Authorizer}, {@link Mutator} or {@link ErrorHandler}
 */
public interface HandlerFactory<T> {
  /** The handler name used in rules, for example {@code cookie_session}. */
  String name();

  T create(HandlerConfig config);
}
