package io.ory4j.accessrules.internal.handlers;

import io.ory4j.accessrules.spi.HandlerConfig;
import io.ory4j.accessrules.spi.HandlerFactory;
import java.util.function.Function;

/** A factory from a name and a function. */
record Factories<T>(String name, Function<HandlerConfig, T> make) implements HandlerFactory<T> {
  @Override
  public T create(HandlerConfig config) {
    return make.apply(config);
  }
}
