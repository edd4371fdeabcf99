package io.ory4j.accessrules;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * Where rules come from: code, a file or folder, an HTTP(S) URL, or an {@code inline://} base64 document, as in
 * Oathkeeper's {@code access_rules.repositories}. {@link AccessRules#reload()} reads every source again.
 */
@FunctionalInterface
public interface RuleSource {

  /** Reads the rules; an unreadable or invalid source throws {@link InvalidRulesException}. */
  List<Rule> load();

  /** Rules given in code. */
  static RuleSource of(List<Rule> rules) {
    List<Rule> copy = List.copyOf(rules);
    return () -> copy;
  }

  /** A rule file, or a folder of {@code .json}/{@code .yaml}/{@code .yml} rule files. */
  static RuleSource path(Path path) {
    return () -> RuleFiles.read(path);
  }

  /** A rule document fetched over HTTP(S). */
  static RuleSource url(URI url, HttpClient client, Duration timeout) {
    return () -> {
      try {
        HttpResponse<String> res = client.send(HttpRequest.newBuilder(url).timeout(timeout).GET().build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (res.statusCode() != 200) {
          throw new InvalidRulesException(List.of(new RuleProblem(url.toString(), "", "fetching the rules answered "
              + res.statusCode())));
        }
        return RuleFiles.parse(res.body(), url.toString());
      } catch (IOException e) {
        throw new InvalidRulesException(List.of(new RuleProblem(url.toString(), "", "cannot fetch the rules: "
            + e.getClass().getSimpleName())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InvalidRulesException(List.of(new RuleProblem(url.toString(), "", "interrupted")));
      }
    };
  }

  /** One entry of Oathkeeper's {@code access_rules.repositories}: {@code file://}, {@code http(s)://}, {@code inline://}. */
  static RuleSource repository(String location, HttpClient client, Duration timeout) {
    if (location.startsWith("inline://")) {
      String doc = new String(Base64.getDecoder().decode(location.substring("inline://".length())),
          StandardCharsets.UTF_8);
      return () -> RuleFiles.parse(doc, "inline");
    }
    if (location.startsWith("http://") || location.startsWith("https://")) {
      return url(URI.create(location), client, timeout);
    }
    if (location.startsWith("file://")) {
      return path(Path.of(location.substring("file://".length())));
    }
    return path(Path.of(location));
  }
}
