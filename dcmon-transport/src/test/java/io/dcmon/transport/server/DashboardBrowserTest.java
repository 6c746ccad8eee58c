package io.dcmon.transport.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.dcmon.transport.wire.CommandResult;
import io.dcmon.transport.wire.CommandView;
import io.dcmon.transport.wire.NewCommand;
import io.dcmon.transport.wire.RegisterResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real headless Chromium against a real server holding a few agents' data: log in, read the
 * fleet table, open a machine and its charts, queue a fan-mode command and watch its result arrive (the test answers
 * as the agent), log out; and agent-provided text that looks like HTML stays text. Screenshots go to
 * {@code target/dashboard-*.png}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {

    static final String XSS_HOST = "<img src=x onerror=alert(1)>";
    static final String XSS_OUTPUT = "<script>alert(2)</script><b>bold?</b>";

    @TempDir
    static Path dir;
    static TestApi api;
    static HeadlessChromium browser;
    static RegisterResponse gpu1;
    static RegisterResponse gpu2;
    static RegisterResponse cpu1;
    static RegisterResponse evil;

    @BeforeAll
    static void start() throws Exception {
        // the GPU colours come from the server's configuration, not the defaults (warn 83, crit 90)
        api = TestApi.start(dir, ApiOptions.defaults().withThresholds(
                java.util.Map.of("gpu_temp_celsius", new io.dcmon.transport.wire.FleetView.Threshold(65, 75))));
        long now = System.currentTimeMillis();
        gpu1 = api.register("gpu-01");
        gpu2 = api.register("gpu-02");
        cpu1 = api.register("cpu-01");
        evil = api.register(XSS_HOST);
        api.client.push(gpu1.clientToken(), FleetData.hour(new FleetData.Machine(95, 2, true), now));
        api.client.push(gpu2.clientToken(), FleetData.hour(new FleetData.Machine(60, 4, false), now));
        api.client.push(cpu1.clientToken(), FleetData.hour(new FleetData.Machine(50, 0, false), now));
        api.client.push(evil.clientToken(), FleetData.hour(new FleetData.Machine(40, 0, false), now));
        browser = HeadlessChromium.start(dir.resolve("chromium-profile"));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (api != null) {
            api.close();
        }
    }

    static void logIn() throws Exception {
        browser.clearCookies();
        browser.open(api.uri("/ui/"));
        browser.type("#token", api.adminToken);
        browser.click("#login-button");
        browser.until("the fleet table", "return document.querySelectorAll('#fleet-body tr').length === 4");
    }

    static String cell(long clientId, String key) throws Exception {
        return browser.text("#fleet-body tr[data-client-id='" + clientId + "'] td[data-key='" + key + "']");
    }

    static String cellClass(long clientId, String key) throws Exception {
        return browser.script("return document.querySelector(arguments[0]).className",
                "#fleet-body tr[data-client-id='" + clientId + "'] td[data-key='" + key + "']").asText();
    }

    @Test
    @Order(1)
    void anOperatorLogsInReadsTheFleetActsOnAMachineAndLogsOut() throws Exception {
        browser.open(api.uri("/ui/"));
        assertThat(browser.findAll("#login-form")).as("a visitor without a session sees the login form").hasSize(1);
        logIn();

        // fleet: the expected hosts and values, coloured by the thresholds
        assertThat(browser.script("return Array.from(document.querySelectorAll('#fleet-body td[data-key=hostname]')).map(t => t.textContent)"))
                .extracting(n -> n.asText()).containsExactlyInAnyOrder("gpu-01", "gpu-02", "cpu-01", XSS_HOST);
        assertThat(cell(gpu1.clientId(), "status")).isEqualTo("online");
        assertThat(cell(gpu1.clientId(), "cpu_temp_celsius")).isEqualTo("95");
        assertThat(cellClass(gpu1.clientId(), "cpu_temp_celsius")).contains("crit");
        assertThat(cellClass(cpu1.clientId(), "cpu_temp_celsius")).doesNotContain("crit", "warn");
        assertThat(cell(gpu2.clientId(), "gpu_count")).isEqualTo("4");
        assertThat(cell(gpu1.clientId(), "gpu_temp_celsius")).isEqualTo("70");
        assertThat(cellClass(gpu1.clientId(), "gpu_temp_celsius")).as("70 °C against the configured 65/75").contains("warn");
        assertThat(cellClass(gpu2.clientId(), "gpu_temp_celsius")).as("gpu-02's hottest of 4 GPUs: 90 °C").contains("crit");
        assertThat(cell(gpu1.clientId(), "memory_percent")).isEqualTo("75");
        assertThat(cell(gpu1.clientId(), "root_fs_percent")).isEqualTo("60");
        assertThat(cell(gpu1.clientId(), "updates_pending")).isEqualTo("12 (3 sec)");
        assertThat(cell(gpu1.clientId(), "fan_mode")).isEqualTo("full");
        assertThat(cell(gpu1.clientId(), "failing_collectors")).isEqualTo("failing: nvidia");
        assertThat(cellClass(gpu1.clientId(), "failing_collectors")).contains("crit");
        assertThat(cell(gpu2.clientId(), "failing_collectors")).isEqualTo("ok");

        // the table refreshes itself in place: a new reading shows up without a page load
        browser.script("window.dcmonTestMarker = 'same page';");
        api.client.push(cpu1.clientToken(), List.of(io.dcmon.core.model.Sample.of(
                io.dcmon.core.model.SeriesKey.of("ipmi_temperature_celsius", "sensor", "CPU1 Temp"), System.currentTimeMillis(), 85.0)));
        browser.until("the refreshed CPU temperature", "return document.querySelector(\"#fleet-body tr[data-client-id='"
                + cpu1.clientId() + "'] td[data-key='cpu_temp_celsius']\").textContent === '85'");
        assertThat(browser.script("return window.dcmonTestMarker").asText()).isEqualTo("same page");
        assertThat(cellClass(cpu1.clientId(), "cpu_temp_celsius")).contains("warn");

        // sort by CPU temperature (ascending, then descending) and filter by text
        browser.click("#fleet-head th[data-key='cpu_temp_celsius']");
        assertThat(browser.text("#fleet-body tr:first-child td[data-key='cpu_temp_celsius']")).isEqualTo("40");
        browser.click("#fleet-head th[data-key='cpu_temp_celsius']");
        assertThat(browser.text("#fleet-body tr:first-child td[data-key='hostname']")).isEqualTo("gpu-01");
        browser.type("#filter-text", "gpu");
        browser.until("two rows after filtering", "return document.querySelectorAll('#fleet-body tr').length === 2");
        browser.script("const f = document.getElementById('filter-text'); f.value = ''; f.dispatchEvent(new Event('input'));");
        browser.until("four rows again", "return document.querySelectorAll('#fleet-body tr').length === 4");
        browser.screenshot(Path.of("target", "dashboard-fleet.png"));

        // a machine: charts with points from the server's downsampled series
        browser.click("#fleet-body tr[data-client-id='" + gpu1.clientId() + "'] td[data-key='hostname'] a");
        browser.until("the charts", "return document.body.dataset.charts === 'drawn'");
        assertThat(browser.text("#hostname")).isEqualTo("gpu-01");
        assertThat(Integer.parseInt(browser.script("return document.getElementById('chart-0').dataset.points").asText()))
                .as("CPU busy points").isGreaterThan(10);
        assertThat(Integer.parseInt(browser.script("return document.getElementById('chart-3').dataset.points").asText()))
                .as("GPU temperature points (two GPUs)").isGreaterThan(20);
        assertThat(browser.findAll("#chart-0 canvas")).as("uPlot drew the chart").isNotEmpty();
        browser.screenshot(Path.of("target", "dashboard-machine.png"));

        // queue a fan-mode command and watch it go queued -> delivered -> succeeded while the test plays the agent
        browser.script("document.getElementById('fan-mode').value = 'full';");
        browser.click("#fan-mode-button");
        browser.until("the queued command", "const s = document.querySelector('#commands-body tr:first-child .cmd-status');"
                + " return s !== null && s.textContent === 'queued'");
        List<CommandView> delivered = api.client.pollCommands(gpu1.clientToken(), gpu1.clientId(), Duration.ofSeconds(5));
        assertThat(delivered).hasSize(1);
        assertThat(delivered.get(0).params()).containsEntry("action", "set_mode").containsEntry("mode", "full");
        browser.until("the delivered status", "return document.querySelector('#commands-body tr:first-child .cmd-status').textContent === 'delivered'");
        api.client.reportResult(gpu1.clientToken(), new CommandResult(delivered.get(0).id(), 0, "fan mode is now full", ""));
        browser.until("the result", "return document.querySelector('#commands-body tr:first-child .cmd-status').textContent === 'succeeded'");
        assertThat(browser.text("#commands-body tr:first-child pre")).contains("exit 0").contains("fan mode is now full");
        assertThat(browser.currentUrl()).as("no reload happened").contains("/ui/machine?id=" + gpu1.clientId());

        // log out: back at the login form, and the API refuses the browser
        browser.click("#logout");
        browser.until("the login page", "return location.pathname.endsWith('/ui/login') && document.getElementById('login-form') !== null");
        browser.open(api.uri("/ui/"));
        assertThat(browser.findAll("#login-form")).hasSize(1);
        assertThat(browser.findAll("#fleet-body")).isEmpty();
        assertThat(browser.script("const x = new XMLHttpRequest(); x.open('GET', '../api/fleet', false); x.send(); return x.status;").asInt())
                .isEqualTo(401);
        assertThat(Files.size(Path.of("target", "dashboard-fleet.png"))).isGreaterThan(1000);
    }

    @Test
    @Order(2)
    void agentTextThatLooksLikeHtmlIsShownAsTextAndRunsNothing() throws Exception {
        CommandView queued = api.client.queueCommand(api.adminToken, new NewCommand(evil.clientId(), "fan_control",
                JsonNodeFactory.instance.objectNode().put("action", "status"), null));
        assertThat(api.client.pollCommands(evil.clientToken(), evil.clientId(), Duration.ofSeconds(5))).hasSize(1);
        api.client.reportResult(evil.clientToken(), new CommandResult(queued.id(), 0, XSS_OUTPUT, "<img src=y onerror=alert(3)>"));

        logIn();
        assertThat(cell(evil.clientId(), "hostname")).isEqualTo(XSS_HOST);
        assertThat(browser.findAll("#fleet-body img")).isEmpty();
        assertThat(browser.openDialog()).isEmpty();

        browser.click("#fleet-body tr[data-client-id='" + evil.clientId() + "'] td[data-key='hostname'] a");
        browser.until("the command list", "return document.querySelectorAll('#commands-body tr').length > 0");
        assertThat(browser.text("#hostname")).isEqualTo(XSS_HOST);
        assertThat(browser.text("#commands-body tr:first-child pre")).contains(XSS_OUTPUT).contains("<img src=y onerror=alert(3)>");
        assertThat(browser.findAll("#commands-body script, #commands-body img, #commands-body b, header img")).isEmpty();
        assertThat(browser.script("return document.title").asText()).isEqualTo("dcmon · " + XSS_HOST);
        assertThat(browser.openDialog()).as("no dialog opened").isEmpty();
    }
}
