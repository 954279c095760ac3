package io.mailgate.web;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium driven through Debian's ChromeDriver (both named explicitly, so Selenium Manager never
 * tries to download a browser), headless, with a fresh profile. One browser per test class; the console is
 * collected so a test can assert that a page logged no error (a content-policy violation is one).
 */
final class Browser implements AutoCloseable {

    static final String CHROMIUM = System.getProperty("mailgate.test.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("mailgate.test.chromedriver", "/usr/bin/chromedriver");

    final ChromeDriver driver;
    private final String baseUrl;
    private final Path profile;

    Browser(String baseUrl) {
        this.baseUrl = baseUrl;
        try {
            profile = Files.createTempDirectory("mailgate-chromium");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        // The flags this machine's closed network needs (no background calls to Google), and root in CI.
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--window-size=1366,900",
                "--lang=en-US",
                "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        options.setExperimentalOption(
                "prefs",
                Map.of(
                        "download.default_directory",
                        profile.resolve("downloads").toString()));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    void open(String path) {
        driver.get(baseUrl + path);
    }

    String path() {
        return driver.getCurrentUrl().substring(baseUrl.length());
    }

    void signIn(String username, String password) {
        open("/login");
        field("username").sendKeys(username);
        field("password").sendKeys(password);
        driver.findElement(By.cssSelector("form button[type=submit]")).click();
        waitFor(d -> !d.getCurrentUrl().contains("/login"));
    }

    /**
     * Leaves the page for a blank one, then forgets every cookie. The blank page first: a page left open may be
     * refreshing a part of itself (the lists do, every 10 s), and the answer to such a request, arriving after the
     * cookies were deleted, would set a new session and CSRF cookie under the next sign-in's feet.
     */
    void signOut() {
        driver.get("about:blank");
        endSession();
    }

    /** Forgets every cookie and stays on the page, as when the session ends while a page is open. */
    void endSession() {
        driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
    }

    WebElement field(String id) {
        return driver.findElement(By.id(id));
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Replaces a field's value the way a user would (select all, type). */
    void type(String id, String value) {
        WebElement input = field(id);
        input.clear();
        input.sendKeys(value);
    }

    WebElement waitForElement(String css) {
        return new WebDriverWait(driver, Duration.ofSeconds(20))
                .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    /**
     * Waits until the condition holds. An element that goes stale while the condition reads it (the page navigated
     * after a form post, or the list refreshed itself) only means "not yet": the condition is asked again.
     */
    void waitFor(Function<WebDriver, Boolean> condition) {
        waitFor(Duration.ofSeconds(20), condition);
    }

    void waitFor(Duration within, Function<WebDriver, Boolean> condition) {
        new WebDriverWait(driver, within)
                .ignoring(StaleElementReferenceException.class)
                .until(condition::apply);
    }

    String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    /** Everything the page logged at SEVERE (errors, refused resources, content-policy violations) since last asked. */
    List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }

    /** A PNG of the current page under target/screenshots (the README's pictures come from here). */
    Path screenshot(String name) {
        try {
            Path dir = Path.of("target", "screenshots");
            Files.createDirectories(dir);
            Path file = dir.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException ignored) {
            // a temporary profile left behind is harmless
        }
    }
}
