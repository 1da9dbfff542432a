package io.switchboard.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.devtools.DevTools;
import org.openqa.selenium.devtools.v156.runtime.Runtime;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Browser is one headless Chromium session driven through the system chromedriver, with its own
 * fresh profile. Uncaught page exceptions are collected over DevTools so tests can assert none.
 *
 * <p>Both binaries are given explicitly, so Selenium never looks for, or downloads, a browser or a
 * driver (the build also points {@code SE_MANAGER_PATH} at a program that always fails).
 */
public final class Browser implements AutoCloseable {

  public static final String CHROMIUM = "/usr/bin/chromium";
  public static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  /** Generous: the machine may be busy with other builds. */
  public static final Duration WAIT = Duration.ofSeconds(30);

  private final ChromeDriver driver;
  private final Path profile;
  private final DevTools devTools;
  private final List<String> pageErrors = new ArrayList<>();
  private final List<String> consoleLines = new ArrayList<>();

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
    this.devTools = driver.getDevTools();
    devTools.createSession();
    devTools.send(Runtime.enable());
    devTools.addListener(Runtime.consoleAPICalled(), call -> {
      synchronized (consoleLines) {
        StringBuilder line = new StringBuilder(call.getType().toString());
        call.getArgs().forEach(arg -> line.append(' ')
            .append(arg.getValue().map(String::valueOf).orElse(arg.getDescription().orElse(""))));
        consoleLines.add(line.toString());
      }
    });
    devTools.addListener(Runtime.exceptionThrown(), thrown -> {
      synchronized (pageErrors) {
        pageErrors.add(thrown.getExceptionDetails().getText() + " "
            + thrown.getExceptionDetails().getException().flatMap(e -> e.getDescription()).orElse(""));
      }
    });
  }

  /** A desktop-sized browser. */
  public static Browser open() {
    return open(1280, 900, false);
  }

  /** A phone-sized browser: a 390 x 844 viewport with a mobile user agent and touch. */
  public static Browser phone() {
    return open(390, 844, true);
  }

  private static Browser open(int width, int height, boolean mobile) {
    Path profile;
    try {
      profile = Files.createTempDirectory("switchboard-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--no-first-run",
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        "--allow-loopback-in-peer-connection",
        "--autoplay-policy=no-user-gesture-required",
        "--user-data-dir=" + profile.toAbsolutePath());
    if (mobile) {
      options.setExperimentalOption("mobileEmulation", java.util.Map.of(
          "deviceMetrics", java.util.Map.of("width", width, "height", height, "pixelRatio", 2.0,
              "touch", true, "mobile", true)));
    } else {
      options.addArguments("--window-size=" + width + "," + height);
    }
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER))
        .usingAnyFreePort()
        .build();
    return new Browser(new ChromeDriver(service, options), profile);
  }

  public WebDriver driver() {
    return driver;
  }

  public void get(String url) {
    driver.get(url);
  }

  public WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  public List<WebElement> findAll(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  public Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /** Runs an async script: the last argument passed to it is the callback. */
  public Object jsAsync(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
  }

  /** Waits until {@code condition} returns a non-null, non-false value; returns it. */
  public <T> T waitFor(String what, Function<WebDriver, T> condition) {
    return waitFor(what, WAIT, condition);
  }

  public <T> T waitFor(String what, Duration timeout, Function<WebDriver, T> condition) {
    WebDriverWait wait = new WebDriverWait(driver, timeout, Duration.ofMillis(100));
    wait.withMessage(() -> what + "; page errors: " + pageErrors() + "; console: " + console());
    // Live pages re-render: an element read during a re-render is simply read again.
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    try {
      return wait.until(condition);
    } catch (org.openqa.selenium.TimeoutException e) {
      // Keep what the page showed: the screenshot usually tells why.
      screenshot("failed-" + System.currentTimeMillis());
      throw e;
    }
  }

  /** Waits until the element matched by {@code css} has text containing {@code text}. */
  public void waitForText(String css, String text) {
    waitFor("'" + text + "' in " + css, d -> {
      List<WebElement> found = d.findElements(By.cssSelector(css));
      return found.stream().anyMatch(e -> e.getText().contains(text));
    });
  }

  /** Waits until the element matched by {@code css} has {@code data-state} equal to {@code state}. */
  public void waitForState(String css, String state) {
    waitFor(css + " in state " + state, d -> {
      List<WebElement> found = d.findElements(By.cssSelector(css));
      return !found.isEmpty() && state.equals(found.get(0).getDomAttribute("data-state"));
    });
  }

  /**
   * Takes the current tab off the network, or puts it back, as DevTools' network emulation does:
   * requests and new connections fail while offline.
   */
  public void offline(boolean offline) {
    driver.executeCdpCommand("Network.enable", java.util.Map.of());
    driver.executeCdpCommand("Network.emulateNetworkConditions", java.util.Map.of(
        "offline", offline, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
  }

  /**
   * Crashes the current tab's renderer, as a killed or frozen-then-discarded tab ends: no
   * {@code pagehide}, nothing closed cleanly by the page.
   */
  public void crash() {
    try {
      driver.executeCdpCommand("Page.crash", java.util.Map.of());
    } catch (RuntimeException expected) {
      // The tab is gone before it can answer.
    }
  }

  /** Writes a PNG of the viewport to {@code target/screenshots/<name>.png}. */
  public Path screenshot(String name) {
    Path dir = Paths.get(System.getProperty("switchboard.screenshots", "target/screenshots"));
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve(name + ".png");
      File shot = driver.getScreenshotAs(OutputType.FILE);
      Files.copy(shot.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the pages wrote to the console so far. */
  public List<String> console() {
    synchronized (consoleLines) {
      return List.copyOf(consoleLines);
    }
  }

  /** Uncaught exceptions the pages threw so far. */
  public List<String> pageErrors() {
    synchronized (pageErrors) {
      return List.copyOf(pageErrors);
    }
  }

  @Override
  public void close() {
    try {
      devTools.close();
    } catch (RuntimeException ignored) {
      // The session ends with the browser anyway.
    }
    driver.quit();
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // A temporary profile left behind is harmless.
    }
  }
}
