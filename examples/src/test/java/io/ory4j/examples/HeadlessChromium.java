package io.ory4j.examples;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven through its ChromeDriver, for the browser tests: skips the test (saying why)
 * where it is not installed, and reports a failure with the page the browser was on.
 */
final class HeadlessChromium {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  /** What a test does with the browser and its wait. */
  interface Story {
    void run(ChromeDriver browser, WebDriverWait wait) throws Exception;
  }

  private HeadlessChromium() {}

  /** Runs {@code story} in a new browser with its profile in {@code profile}, then quits the browser. */
  static void run(Path profile, Story story) throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "Chromium is not installed (apt-get install chromium chromium-driver): the browser test cannot run");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
    ChromeDriver browser = new ChromeDriver(service, options);
    try {
      // A page that is navigating away can answer a lookup with a transient WebDriverException (a stale element, or
      // Chromium's "cannot find context" while the old document unloads): the wait polls again rather than failing,
      // and still fails, saying what it waited for, when the condition never holds.
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
      wait.ignoring(WebDriverException.class);
      story.run(browser, wait);
    } catch (RuntimeException | AssertionError e) {
      throw new AssertionError("at " + browser.getCurrentUrl() + ", after " + e + ", the page says:\n"
          + browser.findElement(By.tagName("body")).getText(), e);
    } finally {
      browser.quit();
    }
  }
}
