package io.ory4j.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.core.jdbc.Dsn;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OryConfigTest {

  static final ConfigKey<Integer> PORT = ConfigKey.port("serve.public.port", 4444);
  static final ConfigKey<Duration> TTL = ConfigKey.duration("ttl.access_token", Duration.ofHours(1));
  static final ConfigKey<List<String>> SECRETS = ConfigKey.stringList("secrets.system", null);

  @TempDir
  Path dir;

  private Path yaml(String content) throws IOException {
    Path p = dir.resolve("config.yaml");
    Files.writeString(p, content);
    return p;
  }

  @Test
  void getWhenEnvFileAndDefaultThenEnvWinsOverFileOverDefault() throws IOException {
    Path file = yaml("serve:\n  public:\n    port: 5000\nttl:\n  access_token: 30m\n");
    OryConfig fileOnly = OryConfig.builder().file(file).build();
    assertEquals(5000, fileOnly.get(PORT));
    assertEquals("file", fileOnly.source("serve.public.port"));
    OryConfig withEnv = OryConfig.builder().file(file).environment(Map.of("SERVE_PUBLIC_PORT", "6000")).build();
    assertEquals(6000, withEnv.get(PORT));
    assertEquals("env", withEnv.source("serve.public.port"));
    assertEquals(Duration.ofMinutes(30), withEnv.get(TTL));
    OryConfig none = OryConfig.builder().build();
    assertEquals(4444, none.get(PORT));
    assertEquals(Duration.ofHours(1), none.get(TTL));
    assertEquals("default", none.source("serve.public.port"));
  }

  @Test
  void getWhenSetInCodeThenWinsOverEnv() {
    OryConfig c = OryConfig.builder().environment(Map.of("SERVE_PUBLIC_PORT", "6000")).set("serve.public.port", 7000)
        .build();
    assertEquals(7000, c.get(PORT));
  }

  @Test
  void getWhenBadValueThenErrorNamesKeyEnvAndReason() {
    OryConfig c = OryConfig.builder().environment(Map.of("SERVE_PUBLIC_PORT", "eighty")).build();
    ConfigException e = assertThrows(ConfigException.class, () -> c.get(PORT));
    assertEquals("serve.public.port", e.key());
    assertTrue(e.getMessage().contains("SERVE_PUBLIC_PORT"), e.getMessage());
    assertTrue(e.getMessage().contains("not a whole number"), e.getMessage());
    assertTrue(e.getMessage().contains("from the environment"), e.getMessage());
  }

  @Test
  void getWhenPortOutOfRangeThenRefused() {
    OryConfig c = OryConfig.builder().environment(Map.of("SERVE_PUBLIC_PORT", "70000")).build();
    assertThrows(ConfigException.class, () -> c.validate(PORT));
  }

  @Test
  void getWhenRequiredMissingThenError() {
    ConfigException e = assertThrows(ConfigException.class, () -> OryConfig.builder().build().get(SECRETS));
    assertTrue(e.getMessage().contains("SECRETS_SYSTEM"));
  }

  @Test
  void stringListWhenJsonArrayOrCommaSeparatedOrFileListThenList() throws IOException {
    assertEquals(List.of("a", "b"),
        OryConfig.builder().environment(Map.of("SECRETS_SYSTEM", "[\"a\",\"b\"]")).build().get(SECRETS));
    assertEquals(List.of("a", "b"),
        OryConfig.builder().environment(Map.of("SECRETS_SYSTEM", "a, b")).build().get(SECRETS));
    assertEquals(List.of("x", "y"),
        OryConfig.builder().file(yaml("secrets:\n  system:\n    - x\n    - y\n")).build().get(SECRETS));
  }

  @Test
  void durationWhenGoFormsThenParsed() {
    assertEquals(Duration.ofMinutes(90), GoDuration.parse("1h30m"));
    assertEquals(Duration.ofMillis(1500), GoDuration.parse("1.5s"));
    assertEquals(Duration.ofMillis(100), GoDuration.parse("100ms"));
    assertEquals(Duration.ZERO, GoDuration.parse("0"));
    assertEquals("1h30m0s", GoDuration.format(Duration.ofMinutes(90)));
    assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("1 hour"));
    assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("h"));
  }

  @Test
  void fileWhenNotAMappingOrUnreadableThenConfigException() throws IOException {
    assertThrows(ConfigException.class, () -> OryConfig.builder().file(yaml("- a\n- b\n")));
    assertThrows(ConfigException.class, () -> OryConfig.builder().file(dir.resolve("missing.yaml")));
  }

  @Test
  void coreConfigWhenAllSetThenTypedAndWhenShortSecretThenKeyNamed() {
    Map<String, String> env = Map.of("DSN", "memory", "SECRETS_SYSTEM", "0123456789abcdef0123",
        "URLS_SELF_ISSUER", "https://auth.example/", "SERVE_ADMIN_PORT", "9001");
    CoreConfig core = CoreConfig.from(OryConfig.builder().environment(env).build());
    assertTrue(core.dsn().isMemory());
    assertEquals(URI.create("https://auth.example/"), core.issuer());
    assertEquals(9001, core.adminPort());
    assertEquals(4444, core.publicPort());
    Map<String, String> bad = Map.of("DSN", "memory", "SECRETS_SYSTEM", "short", "URLS_SELF_ISSUER", "https://a/");
    ConfigException e = assertThrows(ConfigException.class,
        () -> CoreConfig.from(OryConfig.builder().environment(bad).build()));
    assertEquals("secrets.system", e.key());
  }

  @Test
  void dsnWhenOryFormsThenJdbcUrls() {
    Dsn pg = Dsn.parse("postgres://user:p%40ss@db:5433/hydra?sslmode=disable&max_conns=20");
    assertEquals("jdbc:postgresql://db:5433/hydra?sslmode=disable", pg.jdbcUrl());
    assertEquals("user", pg.user());
    assertEquals("p@ss", pg.password());
    assertTrue(!pg.toString().contains("p%40ss"));
    Dsn my = Dsn.parse("mysql://root:secret@tcp(mysqld:3306)/mysql?parseTime=true");
    assertEquals("jdbc:mariadb://mysqld:3306/mysql", my.jdbcUrl());
    assertEquals("root", my.user());
    assertEquals("jdbc:h2:file:./data/ory4j;AUTO_SERVER=TRUE;LOB_TIMEOUT=5000",
        Dsn.parse("h2:file:./data/ory4j").jdbcUrl());
    assertEquals("jdbc:h2:mem:x;LOB_TIMEOUT=100;DB_CLOSE_DELAY=-1", Dsn.parse("h2:mem:x;LOB_TIMEOUT=100").jdbcUrl(),
        "an explicit LOB_TIMEOUT is kept");
    assertTrue(Dsn.parse("memory").isMemory());
    assertThrows(IllegalArgumentException.class, () -> Dsn.parse("redis://x"));
  }
}
