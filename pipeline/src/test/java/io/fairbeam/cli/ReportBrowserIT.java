package io.fairbeam.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import io.fairbeam.io.EvalResultReader;
import io.fairbeam.proto.ReportBoundedValue;
import io.fairbeam.proto.ReportMetricValue;
import io.fairbeam.proto.tfma.MetricsForSlice;
import io.fairbeam.proto.tfma.MetricsValidationForSlice;
import io.fairbeam.report.ReportFormat;
import io.fairbeam.slice.SliceKey;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.After;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.json.Json;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The report in a real browser: Debian's Chromium, driven by Selenium through Debian's chromedriver
 * (no browser or driver is downloaded). The numbers drawn and tabled equal the result files for
 * Titanic and the CelebA model comparison; each control changes what it should; a link reopens the
 * same view; the page makes no network request and logs no error; without JavaScript every value is
 * still in a table; and a report of 1,000 slices × 20 metrics × 10 thresholds opens.
 *
 * <p>Skipped where {@code /usr/bin/chromium} or {@code /usr/bin/chromedriver} is absent, unless
 * {@code FAIRBEAM_REQUIRE_BROWSER=1} (as {@code .ci/run} sets it after installing them).
 */
public class ReportBrowserIT {
  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  private static final String FPR = "fairness_indicators_metrics/false_positive_rate@0.5";

  @ClassRule public static TemporaryFolder temp = new TemporaryFolder();

  private static Path titanic;
  private static Path celeba;
  private WebDriver driver;

  @BeforeClass
  public static void evaluate() {
    boolean present =
        Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER));
    if ("1".equals(System.getenv("FAIRBEAM_REQUIRE_BROWSER"))) {
      assertTrue("FAIRBEAM_REQUIRE_BROWSER=1 but Chromium or chromedriver is absent", present);
    }
    assumeTrue("Chromium and chromedriver are not installed; skipping the browser tests", present);
    Path root = temp.getRoot().toPath();
    titanic =
        SharedData.evaluateTitanic(
            SharedData.projectRoot().resolve("configs/titanic.pbtxt"), root.resolve("titanic"));
    celeba = root.resolve("celeba");
    Path models = SharedData.projectRoot().resolve("models");
    // The swapped comparison of scripts/gate-demo: not blessed, with failing checks to show.
    assertEquals(
        Fairbeam.NOT_BLESSED,
        Fairbeam.run(
            "evaluate",
            "--config",
            SharedData.projectRoot().resolve("configs/celeba-gate.pbtxt").toString(),
            "--data",
            models.resolve("fixtures/celeba.tfrecord.gz").toString(),
            "--model",
            "candidate=" + models.resolve("cnn_plain"),
            "--model",
            "baseline=" + models.resolve("cnn_reweighted"),
            "--output",
            celeba.toString()));
  }

  @Before
  public void startBrowser() {
    driver = browser(true);
  }

  @After
  public void stopBrowser() {
    if (driver != null) {
      driver.quit();
    }
  }

  private static WebDriver browser(boolean javascript) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000");
    if (!javascript) {
      options.setExperimentalOption(
          "prefs", Map.of("profile.managed_default_content_settings.javascript", 2));
    }
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    logs.enable(LogType.PERFORMANCE, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).build();
    return new ChromeDriver(service, options);
  }

  private void open(Path report) {
    open(report.toUri().toString());
  }

  private void open(String url) {
    driver.get(url);
    new WebDriverWait(driver, Duration.ofSeconds(30))
        .until(d -> d.findElement(By.tagName("html")).getDomAttribute("data-ready-ms") != null);
  }

  private Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /** No error on the page, in its console, or under its security policy; no request but itself. */
  private void assertCleanAndOffline(Path report) {
    WebElement errors = driver.findElement(By.id("fb-errors"));
    assertEquals("", errors.findElement(By.tagName("ul")).getText());
    assertFalse(errors.isDisplayed());
    for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
      assertFalse(entry.toString(), entry.getLevel().intValue() >= Level.WARNING.intValue());
    }
    int requests = 0;
    for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
      Map<?, ?> message = (Map<?, ?>) new Json().toType(entry.getMessage(), Map.class);
      Map<?, ?> inner = (Map<?, ?>) message.get("message");
      if ("Network.requestWillBeSent".equals(inner.get("method"))) {
        Map<?, ?> request = (Map<?, ?>) ((Map<?, ?>) inner.get("params")).get("request");
        String url = (String) request.get("url");
        assertThat(url, startsWith(report.toUri().toString()));
        requests++;
      }
    }
    assertTrue("the performance log saw the page's own request", requests >= 1);
  }

  /** Every scalar of a result: slice name → metric name → value. */
  private static Map<String, Map<String, MetricsForSlice.MetricKeyAndValue>> files(Path result)
      throws Exception {
    Map<String, Map<String, MetricsForSlice.MetricKeyAndValue>> values = new HashMap<>();
    for (MetricsForSlice metrics : EvalResultReader.metrics(result)) {
      if (metrics.hasCrossSliceKey()) {
        continue;
      }
      String slice = SliceKey.fromProto(metrics.getSliceKey()).toString();
      for (MetricsForSlice.MetricKeyAndValue kv : metrics.getMetricKeysAndValuesList()) {
        String model = kv.getKey().getModelName();
        String name =
            (model.isEmpty() ? "" : model + "|")
                + kv.getKey().getName()
                + (kv.getKey().getIsDiff() ? "_diff" : "");
        values.computeIfAbsent(slice, s -> new HashMap<>()).put(name, kv);
      }
    }
    return values;
  }

  private static double point(MetricsForSlice.MetricKeyAndValue kv) {
    return kv.getValue().getDoubleValue().getValue();
  }

  private static ReportMetricValue asReported(MetricsForSlice.MetricKeyAndValue kv) {
    return ReportMetricValue.newBuilder()
        .setBoundedValue(
            ReportBoundedValue.newBuilder()
                .setValue(point(kv))
                .setLowerBound(
                    kv.getConfidenceInterval().getLowerBound().getDoubleValue().getValue())
                .setUpperBound(
                    kv.getConfidenceInterval().getUpperBound().getDoubleValue().getValue()))
        .build();
  }

  private WebElement panel(String metric) {
    return driver.findElement(By.cssSelector("section.panel[data-metric='" + metric + "']"));
  }

  @Test
  public void titanicChartAndTableShowTheResultFilesNumbers() throws Exception {
    Path report = titanic.resolve("report.html");
    open(report);
    assertCleanAndOffline(report);
    var files = files(titanic);
    WebElement panel = panel(FPR);
    List<WebElement> marks = panel.findElements(By.cssSelector("svg .mark"));
    // Overall, 2 sexes, 3 classes and their 6 crossings.
    assertEquals(12, marks.size());
    for (WebElement mark : marks) {
      var kv = files.get(mark.getDomAttribute("data-slice")).get(FPR);
      assertEquals(point(kv), Double.parseDouble(mark.getDomAttribute("data-value")), 0);
      assertThat(mark.getDomAttribute("aria-label"), containsString(FPR.substring(28, 47)));
    }
    // The whiskers: one capped interval per mark.
    assertEquals(12, panel.findElements(By.cssSelector("svg g.whisker")).size());
    double overall = point(files.get("Overall").get(FPR));
    List<WebElement> rows = panel.findElements(By.cssSelector("tbody tr"));
    assertEquals(12, rows.size());
    assertEquals("Overall", rows.get(0).getDomAttribute("data-slice"));
    for (WebElement row : rows) {
      var kv = files.get(row.getDomAttribute("data-slice")).get(FPR);
      List<WebElement> cells = row.findElements(By.tagName("td"));
      assertEquals(point(kv), Double.parseDouble(cells.get(0).getDomAttribute("data-value")), 0);
      assertEquals(
          kv.getConfidenceInterval().getLowerBound().getDoubleValue().getValue(),
          Double.parseDouble(cells.get(0).getDomAttribute("data-lower")),
          0);
      // The text is the Java tables' text: the same numbers, formatted the same way.
      assertEquals(ReportFormat.value(asReported(kv)), cells.get(0).getText());
      // Beside it, Fairbeam's decision interval from the counts: inside [0, 1], around the value.
      double decisionLower = Double.parseDouble(cells.get(1).getDomAttribute("data-lower"));
      double decisionUpper = Double.parseDouble(cells.get(1).getDomAttribute("data-upper"));
      assertTrue(0 <= decisionLower && decisionLower <= point(kv));
      assertTrue(point(kv) <= decisionUpper && decisionUpper <= 1);
      if (!row.getDomAttribute("data-slice").equals("Overall")) {
        assertEquals(ReportFormat.number(point(kv) - overall), cells.get(2).getText());
        assertEquals(
            ReportFormat.number((point(kv) / overall - 1) * 100, 3) + "%", cells.get(3).getText());
        assertThat(cells.get(4).getText(), startsWith(ReportFormat.number(point(kv) / overall, 3)));
      }
      String count =
          ReportFormat.number(
              point(files.get(row.getDomAttribute("data-slice")).get("example_count")));
      assertEquals(count, cells.get(cells.size() - 1).getText());
    }
    // Two by hand: 77 of the 549 who died were predicted to survive, and 3 of the 3 women in first
    // class who died (Clopper-Pearson bounds by scipy.stats.beta.ppf); TFMA's whisker and the
    // decision band are both drawn.
    assertEquals(
        "[0.1123, 0.1721] (77 of 549)",
        panel.findElement(By.cssSelector("tr[data-slice='Overall'] td.decision")).getText());
    assertEquals(
        "[0.2924, 1] (3 of 3)",
        panel
            .findElement(By.cssSelector("tr[data-slice='class_X_sex:First_X_female'] td.decision"))
            .getText());
    assertEquals(12, panel.findElements(By.cssSelector("svg rect.decision")).size());
    // The rows and the chart go in the same order: baseline first, then the highest value.
    List<String> tableOrder = new ArrayList<>();
    rows.forEach(r -> tableOrder.add(r.getDomAttribute("data-slice")));
    List<String> chartOrder = new ArrayList<>();
    marks.forEach(m -> chartOrder.add(m.getDomAttribute("data-slice")));
    assertEquals(tableOrder, chartOrder);
    for (int i = 2; i < rows.size(); i++) {
      assertTrue(
          point(files.get(tableOrder.get(i - 1)).get(FPR))
              >= point(files.get(tableOrder.get(i)).get(FPR)));
    }
    // The curves: a ROC, a precision-recall and a calibration chart.
    assertEquals(3, driver.findElements(By.cssSelector("#fb-curves-panel svg")).size());
    // The findings lead, each linked to a view of its metric.
    List<WebElement> findings = driver.findElements(By.cssSelector("ol.findings li a"));
    assertFalse(findings.isEmpty());
    assertThat(findings.get(0).getDomAttribute("href"), containsString("#m="));
  }

  /**
   * The curves and the threshold explorer, against values computed another way: calibration bins
   * and ROC points of Overall straight from the CSV (scores rounded to float32 as Fairbeam reads
   * them; for ROC, positive when the score's 1/10,000 bucket starts above the threshold, as TFMA
   * counts), and each threshold-explorer point from the metrics file.
   */
  @Test
  public void curvesAndThresholdPointsEqualIndependentValues() throws Exception {
    List<String> lines = Files.readAllLines(SharedData.file("titanic.csv"));
    List<String> header = List.of(lines.get(0).split(","));
    int labelColumn = header.indexOf("survived");
    int scoreColumn = header.indexOf("predicted");
    double[] score = new double[lines.size() - 1];
    int[] label = new int[score.length];
    for (int i = 0; i < score.length; i++) {
      String[] cells = lines.get(i + 1).split(",", -1);
      score[i] = (float) Double.parseDouble(cells[scoreColumn]);
      label[i] = Integer.parseInt(cells[labelColumn]);
    }
    double[] weight = new double[20];
    double[] labels = new double[20];
    double[] scores = new double[20];
    for (int i = 0; i < score.length; i++) {
      int bin = Math.max(0, Math.min(19, (int) Math.floor(score[i] * 20)));
      weight[bin]++;
      labels[bin] += label[i];
      scores[bin] += score[i];
    }
    open(titanic.resolve("report.html"));
    List<WebElement> dots =
        driver.findElements(
            By.xpath(
                "//*[@id='fb-curves-panel']//*[name()='svg'][contains(@aria-label,'Calibration')]"
                    + "//*[@data-slice='Overall']"));
    int drawn = 0;
    for (WebElement dot : dots) {
      if (dot.getDomAttribute("data-x") == null) {
        continue;
      }
      double meanScore = Double.parseDouble(dot.getDomAttribute("data-x"));
      int bin = (int) Math.floor(meanScore * 20);
      assertEquals(scores[bin] / weight[bin], meanScore, 1e-9);
      assertEquals(
          labels[bin] / weight[bin], Double.parseDouble(dot.getDomAttribute("data-y")), 1e-12);
      drawn++;
    }
    assertEquals((int) java.util.Arrays.stream(weight).filter(w -> w > 0).count(), drawn);
    // ROC points as embedded (the page draws them as one path): TPR and FPR counted from the CSV.
    String page = Files.readString(titanic.resolve("report.html"));
    String json =
        page.substring(
            page.indexOf('>', page.indexOf("id=\"fairbeam-data\"")) + 1,
            page.indexOf("</script>", page.indexOf("id=\"fairbeam-data\"")));
    io.fairbeam.proto.ReportData.Builder data = io.fairbeam.proto.ReportData.newBuilder();
    com.google.protobuf.util.JsonFormat.parser().merge(json, data);
    io.fairbeam.proto.ReportPlots overall =
        data.getResults(0).getPlotsList().stream()
            .filter(p -> p.getSlice().equals("Overall"))
            .findFirst()
            .orElseThrow();
    assertTrue(overall.getRocCount() > 50);
    for (io.fairbeam.proto.ReportCurvePoint point : overall.getRocList()) {
      double tp = 0;
      double fp = 0;
      double positives = 0;
      for (int i = 0; i < score.length; i++) {
        positives += label[i];
        // TFMA's histogram semantics (ConfusionMatrixPlot): positive when the score's bucket of
        // width 1/10,000 starts above the threshold.
        if (Math.floor(score[i] * 10000) / 10000.0 > point.getThreshold()) {
          tp += label[i];
          fp += 1 - label[i];
        }
      }
      assertEquals("tpr at " + point.getThreshold(), tp / positives, point.getY(), 1e-12);
      assertEquals(
          "fpr at " + point.getThreshold(), fp / (score.length - positives), point.getX(), 1e-12);
    }
    // The threshold explorer: false_positive_rate at every threshold, per slice, as in the file.
    var files = files(titanic);
    int points = 0;
    for (WebElement point :
        driver.findElements(By.cssSelector("#fb-thresholds-panel svg .mark[data-x]"))) {
      String key =
          "fairness_indicators_metrics/false_positive_rate@" + point.getDomAttribute("data-x");
      assertEquals(
          key,
          point(files.get(point.getDomAttribute("data-slice")).get(key)),
          Double.parseDouble(point.getDomAttribute("data-y")),
          0);
      points++;
    }
    // 12 slices at 5 thresholds.
    assertEquals(60, points);
  }

  @Test
  public void eachControlChangesWhatItShould() throws Exception {
    Path report = titanic.resolve("report.html");
    open(report);
    var files = files(titanic);
    // Baseline: sex=female; the differences follow it.
    new Select(driver.findElement(By.id("fb-ref"))).selectByValue("sex:female");
    WebElement panel = panel(FPR);
    WebElement first = panel.findElement(By.cssSelector("tbody tr"));
    assertEquals("sex:female", first.getDomAttribute("data-slice"));
    assertEquals("baseline", first.getDomAttribute("class"));
    WebElement male = panel.findElement(By.cssSelector("tbody tr[data-slice='sex:male']"));
    double female = point(files.get("sex:female").get(FPR));
    assertEquals(
        ReportFormat.number(point(files.get("sex:male").get(FPR)) - female),
        male.findElements(By.tagName("td")).get(2).getText());
    // Thresholds: 0.9 added gives a second panel.
    driver.findElement(By.cssSelector("#fb-thresholds input[value='0.9']")).click();
    assertEquals(2, driver.findElements(By.cssSelector("section.panel")).size());
    assertNotNull(panel("fairness_indicators_metrics/false_positive_rate@0.9"));
    // Metrics: the search hides the others; a second metric adds its panels.
    driver.findElement(By.id("fb-metric-search")).sendKeys("negative");
    for (WebElement label : driver.findElements(By.cssSelector("#fb-metrics label[data-metric]"))) {
      assertEquals(label.getText().toLowerCase().contains("negative"), label.isDisplayed());
    }
    driver
        .findElement(
            By.cssSelector(
                "#fb-metrics input[value='fairness_indicators_metrics/false_negative_rate']"))
        .click();
    assertEquals(4, driver.findElements(By.cssSelector("section.panel")).size());
    // Slices: unticking the class feature removes its three slices from every chart.
    driver.findElement(By.cssSelector("#fb-slices input[data-feature='class']")).click();
    assertEquals(9, panel(FPR).findElements(By.cssSelector("svg .mark")).size());
    // Fewer examples than 150: class=First × sex=female (94) and others go.
    WebElement minN = driver.findElement(By.id("fb-min-n"));
    minN.clear();
    minN.sendKeys("150", Keys.TAB);
    for (WebElement row : panel(FPR).findElements(By.cssSelector("tbody tr"))) {
      String slice = row.getDomAttribute("data-slice");
      assertTrue(
          slice, slice.equals("sex:female") || point(files.get(slice).get("example_count")) >= 150);
    }
    // Sorting by the value, ascending, by keyboard.
    WebElement sort = panel(FPR).findElement(By.cssSelector("th[data-col='value0'] button"));
    sort.sendKeys(Keys.ENTER);
    sort = panel(FPR).findElement(By.cssSelector("th[data-col='value0'] button"));
    assertEquals("ascending", sort.findElement(By.xpath("..")).getDomAttribute("aria-sort"));
    List<WebElement> rows = panel(FPR).findElements(By.cssSelector("tbody tr"));
    for (int i = 2; i < rows.size(); i++) {
      assertTrue(
          Double.parseDouble(
                  rows.get(i - 1).findElement(By.tagName("td")).getDomAttribute("data-value"))
              <= Double.parseDouble(
                  rows.get(i).findElement(By.tagName("td")).getDomAttribute("data-value")));
    }
    // The CSV holds the rows shown, in the order shown.
    String csv = (String) js("return window.fairbeamReport.csv(arguments[0])", FPR);
    String[] lines = csv.split("\n");
    assertEquals(rows.size() + 1, lines.length);
    assertThat(lines[1], startsWith("sex:female,false_positive_rate,0.5,"));
    // The parity band re-judges every gap.
    WebElement parity = driver.findElement(By.id("fb-parity"));
    parity.clear();
    parity.sendKeys("0.05", Keys.TAB);
    for (WebElement cell : driver.findElements(By.cssSelector("td[data-parity-cell]"))) {
      double lower = Double.parseDouble(cell.getDomAttribute("data-ratio-lower"));
      if (cell.getDomAttribute("data-has-interval").equals("true") && lower >= 0.05) {
        assertEquals("passes", cell.getDomProperty("textContent"));
      }
    }
    // A link opens the same view.
    String url = driver.getCurrentUrl();
    assertThat(url, containsString("#m="));
    List<String> before = panelsAndRows();
    driver.quit();
    driver = browser(true);
    open(url);
    assertEquals(before, panelsAndRows());
    assertEquals(
        "sex:female",
        new Select(driver.findElement(By.id("fb-ref")))
            .getFirstSelectedOption()
            .getDomAttribute("value"));
  }

  private List<String> panelsAndRows() {
    List<String> shown = new ArrayList<>();
    for (WebElement p : driver.findElements(By.cssSelector("section.panel"))) {
      shown.add(p.getDomAttribute("data-metric"));
      for (WebElement row : p.findElements(By.cssSelector("tbody tr"))) {
        shown.add(row.getDomAttribute("data-slice"));
      }
    }
    return shown;
  }

  @Test
  public void aMarkTellsItsValueOnFocus() {
    open(titanic.resolve("report.html"));
    WebElement mark = panel(FPR).findElement(By.cssSelector("svg .mark"));
    js("arguments[0].focus()", mark);
    WebElement tip = driver.findElement(By.id("fb-tip"));
    assertTrue(tip.isDisplayed());
    assertEquals(mark.getDomAttribute("aria-label"), tip.getText());
    assertThat(tip.getText(), containsString("(95% interval)"));
  }

  @Test
  public void celebaComparisonShowsBothModelsTheirDifferenceAndTheVerdict() throws Exception {
    Path report = celeba.resolve("report.html");
    open(report);
    assertCleanAndOffline(report);
    assertThat(
        driver.findElement(By.cssSelector("p.verdict")).getText(), containsString("NOT BLESSED"));
    int failures = 0;
    for (MetricsValidationForSlice s :
        EvalResultReader.validation(celeba).getMetricValidationsPerSliceList()) {
      failures += s.getFailuresCount();
    }
    assertEquals(failures, driver.findElements(By.cssSelector("table.failing tbody tr")).size());
    assertThat(
        driver.findElement(By.cssSelector("table.constraints tbody")).getText(),
        containsString("fails"));
    var files = files(celeba);
    // configs/celeba-gate.pbtxt's FNR metric at its one threshold, which TFMA names "fnr".
    String fnr = "fnr";
    WebElement box = driver.findElement(By.cssSelector("#fb-metrics input[value='fnr']"));
    if (!box.isSelected()) {
      box.click();
    }
    WebElement panel = panel(fnr);
    for (WebElement mark : panel.findElements(By.cssSelector("svg .mark"))) {
      String model = mark.getDomAttribute("data-series").substring(2);
      var kv = files.get(mark.getDomAttribute("data-slice")).get(model + "|" + fnr);
      assertEquals(point(kv), Double.parseDouble(mark.getDomAttribute("data-value")), 0);
    }
    // Three slices × two models.
    assertEquals(6, panel.findElements(By.cssSelector("svg .mark")).size());
    // The candidate's change from the baseline model, from TFMA's diff metric.
    int diffColumn =
        panel.findElements(By.cssSelector("thead th")).stream()
            .map(th -> th.getText())
            .toList()
            .indexOf("candidate − baseline model");
    assertTrue(diffColumn > 0);
    for (WebElement row : panel.findElements(By.cssSelector("tbody tr"))) {
      var kv = files.get(row.getDomAttribute("data-slice")).get("candidate|" + fnr + "_diff");
      WebElement cell = row.findElements(By.cssSelector("th, td")).get(diffColumn);
      assertEquals(point(kv), Double.parseDouble(cell.getDomAttribute("data-value")), 0);
    }
  }

  @Test
  public void twoResultsAreComparedSideBySide() throws Exception {
    // fairbeam report over two results: each is a series, its slices matched by name.
    Path both = temp.getRoot().toPath().resolve("both.html");
    assertEquals(
        0,
        Fairbeam.run(
            "report",
            "--results",
            titanic.toString(),
            "--results",
            celeba.toString(),
            "--output",
            both.toString()));
    open(both);
    assertCleanAndOffline(both);
    WebElement panel = panel(FPR);
    // Titanic's 12 slices; CelebA has no false_positive_rate@0.5, so only Overall is shared and
    // it has no mark there.
    assertEquals(12, panel.findElements(By.cssSelector("svg .mark[data-series^='0|']")).size());
    assertEquals(0, panel.findElements(By.cssSelector("svg .mark[data-series^='1|']")).size());
    // CelebA's models are two more series; its fnr panel draws each of its slices for both:
    // Overall,
    // Young=0, Young=1 and the cross slice Young=1 - Young=0.
    new Select(driver.findElement(By.id("fb-ref"))).selectByValue("Overall");
    WebElement fnr = driver.findElement(By.cssSelector("#fb-metrics input[value='fnr']"));
    if (!fnr.isSelected()) {
      fnr.click();
    }
    for (WebElement all : driver.findElements(By.cssSelector("#fb-slices input[data-feature]"))) {
      if (!all.isSelected()) {
        all.click();
      }
    }
    assertEquals(
        8, panel("fnr").findElements(By.cssSelector("svg .mark[data-series^='1|']")).size());
    assertThat(panel("fnr").getText(), containsString(celeba + " · candidate"));
  }

  @Test
  public void suppressedSlicesShowTheirReason() throws Exception {
    // min_slice_size 100 hides class=First × sex=female (94) and class=Second × sex=female (76).
    Path config = temp.getRoot().toPath().resolve("suppressed.pbtxt");
    Files.writeString(
        config,
        Files.readString(SharedData.projectRoot().resolve("configs/titanic.pbtxt"))
            .replace("options {", "options {\n  min_slice_size { value: 100 }"));
    Path result = SharedData.evaluateTitanic(config, temp.getRoot().toPath().resolve("suppressed"));
    Path report = result.resolve("report.html");
    open(report);
    assertCleanAndOffline(report);
    String reason =
        "Example count for this slice key is lower than the minimum required value: 100. No data"
            + " is aggregated for this slice.";
    for (String slice : List.of("class_X_sex:First_X_female", "class_X_sex:Second_X_female")) {
      WebElement row =
          panel(FPR).findElement(By.cssSelector("tbody tr[data-slice='" + slice + "']"));
      assertEquals("Suppressed: " + reason, row.findElement(By.tagName("td")).getText());
      assertTrue(
          panel(FPR)
              .findElements(By.cssSelector("svg .mark[data-slice='" + slice + "']"))
              .isEmpty());
    }
    assertEquals(
        2,
        panel(FPR)
            .findElements(By.xpath(".//*[name()='text'][starts-with(., 'suppressed: ')]"))
            .size());
    // And in the page's own table, with JavaScript or without.
    List<WebElement> listed = driver.findElements(By.cssSelector("table.suppressed tbody tr"));
    assertEquals(2, listed.size());
    assertThat(listed.get(0).getText(), containsString(reason));
  }

  @Test
  public void withoutJavaScriptEveryValueIsStillInATable() throws Exception {
    driver.quit();
    driver = browser(false);
    Path report = titanic.resolve("report.html");
    driver.get(report.toUri().toString());
    assertTrue(driver.findElement(By.cssSelector("#fb-explorer .nojs")).isDisplayed());
    assertEquals(0, driver.findElements(By.cssSelector("section.panel")).size());
    driver.findElement(By.cssSelector("#r0-tables summary")).click();
    var files = files(titanic);
    WebElement table =
        driver.findElement(By.cssSelector("#r0-tables table[data-metric='" + FPR + "']"));
    for (WebElement row : table.findElements(By.cssSelector("tbody tr"))) {
      var kv = files.get(row.getDomAttribute("data-slice")).get(FPR);
      assertEquals(ReportFormat.value(asReported(kv)), row.findElement(By.tagName("td")).getText());
    }
    assertTrue(driver.findElement(By.cssSelector("ol.findings")).isDisplayed());
  }

  @Test
  public void itWorksInsideANotebooksIframeSrcdoc() throws Exception {
    // What the README's two lines of Python do: the page, escaped as html.escape escapes it, as
    // the srcdoc of an iframe in another page (as Jupyter, VS Code or Colab show HTML output).
    String page = Files.readString(titanic.resolve("report.html"));
    String escaped =
        page.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace("\"", "&quot;")
            .replace("'", "&#x27;");
    Path notebook = temp.getRoot().toPath().resolve("notebook.html");
    Files.writeString(
        notebook,
        "<!DOCTYPE html><html><body><p>A notebook cell</p><iframe srcdoc=\""
            + escaped
            + "\" width=\"100%\" height=\"900\"></iframe></body></html>");
    driver.get(notebook.toUri().toString());
    driver.switchTo().frame(0);
    new WebDriverWait(driver, Duration.ofSeconds(30))
        .until(d -> d.findElement(By.tagName("html")).getDomAttribute("data-ready-ms") != null);
    assertEquals(12, panel(FPR).findElements(By.cssSelector("svg .mark")).size());
    assertEquals("", driver.findElement(By.cssSelector("#fb-errors ul")).getText());
    // The controls work there too, though the frame has no URL of its own to keep the view in.
    new Select(driver.findElement(By.id("fb-ref"))).selectByValue("sex:male");
    assertEquals(
        "sex:male",
        panel(FPR).findElement(By.cssSelector("tbody tr")).getDomAttribute("data-slice"));
    for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
      assertFalse(entry.toString(), entry.getLevel().intValue() >= Level.WARNING.intValue());
    }
  }

  @Test
  public void aThousandSlicesOpenAndAllCanBeShown() throws Exception {
    Path report = temp.getRoot().toPath().resolve("large.html");
    LargeReport.write(report);
    open(report);
    assertCleanAndOffline(report);
    String fpr = "fairness_indicators_metrics/false_positive_rate@0.5";
    // By default the baseline and the first 20 slices; no cap when more are chosen.
    assertEquals(21, panel(fpr).findElements(By.cssSelector("svg .mark")).size());
    for (WebElement all : driver.findElements(By.cssSelector("#fb-slices input[data-feature]"))) {
      if (!all.isSelected()) {
        all.click();
      }
    }
    assertEquals(1001, panel(fpr).findElements(By.cssSelector("svg .mark")).size());
    assertEquals(1001, panel(fpr).findElements(By.cssSelector("tbody tr")).size());
    assertEquals(
        LargeReport.METRICS.length,
        driver.findElements(By.cssSelector("#fb-metrics label[data-metric]")).size() - 1);
  }

  /**
   * A result of 3,000 stores: the page details 500 of them and its table of all slices holds every
   * one, with the example count and the rate as written (to 4 decimal places); sorting by the rate
   * puts the store with the highest first and, again, the lowest; a search keeps the slices whose
   * name holds it and pages through them; a detailed slice opens in the explorer.
   */
  @Test
  public void theTableOfAllSlicesSearchesSortsAndPages() throws Exception {
    int stores = 3000;
    Path result = temp.newFolder("many-slices").toPath();
    java.util.Random random = new java.util.Random(11);
    double[] rates = new double[stores];
    try (java.io.OutputStream out =
            Files.newOutputStream(result.resolve("metrics-00000-of-00001.tfrecord"));
        io.fairbeam.extract.TFRecordWriter writer = new io.fairbeam.extract.TFRecordWriter(out)) {
      writer.write(storeSlice(SliceKey.OVERALL, 1e6, 0.2).toByteArray());
      for (int i = 0; i < stores; i++) {
        rates[i] = random.nextDouble();
        SliceKey store =
            SliceKey.of(
                List.of(new SliceKey.Column("store", io.fairbeam.slice.SliceValue.ofInt64(i))));
        writer.write(storeSlice(store, 50 + random.nextInt(500), rates[i]).toByteArray());
      }
    }
    Path report = temp.getRoot().toPath().resolve("many-slices.html");
    Files.writeString(
        report,
        io.fairbeam.report.ReportPage.render(
            io.fairbeam.proto.ReportData.newBuilder()
                .setParityRatio(0.8)
                .addResults(io.fairbeam.report.ReportDataReader.read(result, "many", 0.8))
                .build()));
    open(report);
    new WebDriverWait(driver, Duration.ofSeconds(30))
        .until(d -> d.findElement(By.tagName("html")).getDomAttribute("data-loaded-ms") != null);
    assertCleanAndOffline(report);
    WebElement section = driver.findElement(By.id("r0-all-slices"));
    WebElement status = section.findElement(By.cssSelector("p[aria-live]"));
    assertEquals("Slices 1–50 of 3,001", status.getText());
    assertEquals(50, section.findElements(By.cssSelector("tbody tr")).size());

    int highest = 0;
    int lowest = 0;
    for (int i = 0; i < stores; i++) {
      highest = rates[i] > rates[highest] ? i : highest;
      lowest = rates[i] < rates[lowest] ? i : lowest;
    }
    WebElement byRate = section.findElement(By.cssSelector("button.sort[data-column='1']"));
    byRate.click();
    assertFirstRow(section, highest, rates[highest]);
    byRate.click();
    assertFirstRow(section, lowest, rates[lowest]);

    WebElement search = section.findElement(By.cssSelector("input[type=search]"));
    search.sendKeys("store=12");
    long matching =
        java.util.stream.IntStream.range(0, stores)
            .filter(i -> String.valueOf(i).startsWith("12"))
            .count();
    assertEquals("Slices 1–50 of " + matching + " matching “store=12”", status.getText());
    section.findElement(By.xpath(".//button[text()='Next →']")).click();
    assertEquals(
        "Slices 51–" + Math.min(100, matching) + " of " + matching + " matching “store=12”",
        status.getText());
    for (WebElement row : section.findElements(By.cssSelector("tbody tr"))) {
      assertThat(row.getDomAttribute("data-label"), startsWith("store=12"));
    }

    search.clear();
    search.sendKeys("store=" + highest);
    WebElement show =
        section.findElement(
            By.xpath(".//tr[@data-label='store=" + highest + "']//button[@class='show']"));
    show.click();
    assertTrue(
        String.valueOf(js("return window.fairbeamReport.state().slices")),
        ((List<?>) js("return window.fairbeamReport.state().slices")).contains("store:" + highest));
  }

  private static MetricsForSlice storeSlice(SliceKey key, double count, double rate) {
    MetricsForSlice.Builder metrics = MetricsForSlice.newBuilder().setSliceKey(key.toProto());
    metrics
        .addMetricKeysAndValuesBuilder()
        .setKey(io.fairbeam.proto.tfma.MetricKey.newBuilder().setName("example_count"))
        .setValue(
            io.fairbeam.proto.tfma.MetricValue.newBuilder()
                .setDoubleValue(com.google.protobuf.DoubleValue.of(count)));
    metrics
        .addMetricKeysAndValuesBuilder()
        .setKey(
            io.fairbeam.proto.tfma.MetricKey.newBuilder()
                .setName("fairness_indicators_metrics/false_positive_rate@0.5"))
        .setValue(
            io.fairbeam.proto.tfma.MetricValue.newBuilder()
                .setDoubleValue(com.google.protobuf.DoubleValue.of(rate)));
    return metrics.build();
  }

  /** The table's first row is store {@code store}, its rate shown to 4 decimal places. */
  private static void assertFirstRow(WebElement section, int store, double rate) {
    WebElement first = section.findElement(By.cssSelector("tbody tr"));
    assertEquals("store=" + store, first.getDomAttribute("data-label"));
    double shown = Double.parseDouble(first.findElements(By.tagName("td")).get(1).getText());
    assertEquals(Math.round(rate * 1e4) / 1e4, shown, 1e-12);
  }
}
