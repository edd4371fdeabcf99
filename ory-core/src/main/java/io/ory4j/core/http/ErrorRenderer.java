package io.ory4j.core.http;

import io.ory4j.core.error.OryException;

/** Writes an error in one protocol's format. One renderer per protocol: Ory's JSON, or OAuth 2.0. */
@FunctionalInterface
public interface ErrorRenderer {
  HttpResponse render(OryException error, HttpRequest request);
}
