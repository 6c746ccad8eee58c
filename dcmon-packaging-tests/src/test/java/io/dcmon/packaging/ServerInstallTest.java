package io.dcmon.packaging;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** packaging/server/install.sh and uninstall.sh against a scratch root, systemctl and friends recorded. */
class ServerInstallTest {

    @TempDir
    Path tmp;
    Scratch s;
    Path jar;
    Path install;
    Path uninstall;
    SortedMap<String, String> baseline;

    @BeforeEach
    void setUp() throws IOException {
        s = Scratch.create(tmp);
        jar = Tools.jar("dcmon.server.jar");
        install = Tools.packaging().resolve("server/install.sh");
        uninstall = Tools.packaging().resolve("server/uninstall.sh");
        baseline = Manifest.of(s.root);
    }

    @Test
    @DisplayName("install creates the user, the documented tree with private secrets, enables and starts the unit")
    void installBuildsTheDocumentedTree() throws Exception {
        Scratch.Result r = s.run(install, "--jar", jar.toString());
        assertThat(r.exit()).as(r.toString()).isZero();

        SortedMap<String, String> m = Manifest.of(s.root);
        Map<String, String> added = new TreeMap<>(m);
        added.keySet().removeAll(baseline.keySet());
        assertThat(added.keySet()).containsExactly(
                "etc/dcmon-server", "etc/dcmon-server/auth", "etc/dcmon-server/server.yaml",
                "etc/systemd/system/dcmon-server.service",
                "opt/dcmon", "opt/dcmon/dcmon-server.jar",
                "usr/local/bin/dcmon-server",
                "var/lib/dcmon-server");
        assertThat(m).containsEntry("etc/dcmon-server", "d 750")
                .containsEntry("etc/dcmon-server/auth", "d 700")
                .containsEntry("var/lib/dcmon-server", "d 700")
                .containsEntry("opt/dcmon", "d 755");
        assertThat(Manifest.mode(s.at("/etc/dcmon-server/server.yaml"))).isEqualTo("640");
        assertThat(Manifest.mode(s.at("/etc/systemd/system/dcmon-server.service"))).isEqualTo("644");
        assertThat(Manifest.mode(s.at("/opt/dcmon/dcmon-server.jar"))).isEqualTo("644");
        assertThat(Manifest.mode(s.at("/usr/local/bin/dcmon-server"))).isEqualTo("755");
        assertThat(s.at("/etc/systemd/system/dcmon-server.service")).hasSameTextualContentAs(Tools.packaging().resolve("server/dcmon-server.service"));
        assertThat(s.at("/etc/dcmon-server/server.yaml")).hasSameTextualContentAs(Tools.packaging().resolve("server/server.yaml"));
        assertThat(Manifest.sha256(s.at("/opt/dcmon/dcmon-server.jar"))).isEqualTo(Manifest.sha256(jar));

        assertThat(s.calls("useradd")).containsExactly("--prefix " + s.root
                + " --system --user-group --home-dir /var/lib/dcmon-server --no-create-home --shell /usr/sbin/nologin --comment dcmon server dcmon");
        assertThat(s.root.resolve("etc/passwd")).content().contains("dcmon:");
        // owners: the service user owns what it writes, root owns what it only reads
        assertThat(s.calls("chown")).contains(
                "dcmon:dcmon " + s.at("/etc/dcmon-server/auth"),
                "dcmon:dcmon " + s.at("/var/lib/dcmon-server"),
                "root:dcmon " + s.at("/etc/dcmon-server"),
                "root:dcmon " + s.at("/etc/dcmon-server/server.yaml"),
                "root:root " + s.at("/opt/dcmon/dcmon-server.jar"));
        assertThat(s.calls("systemctl")).containsExactly(
                "daemon-reload", "enable --quiet dcmon-server.service", "start dcmon-server.service");
        assertThat(s.calls("apt-get")).as("Java 17+ is present: nothing to install").isEmpty();
        assertThat(r.output()).contains("dcmon server: https://", ":8443/", "admin token:  /etc/dcmon-server/auth/admin_token");
    }

    @Test
    @DisplayName("a second run changes nothing: same tree, no user, reload or restart")
    void rerunChangesNothing() throws Exception {
        assertThat(s.run(install, "--jar", jar.toString()).exit()).isZero();
        SortedMap<String, String> first = Manifest.of(s.root);
        s.clearCalls();

        Scratch.Result r = s.run(install, "--jar", jar.toString());

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(Manifest.of(s.root)).isEqualTo(first);
        assertThat(s.calls("useradd")).isEmpty();
        assertThat(s.calls("systemctl")).containsExactly("enable --quiet dcmon-server.service", "start dcmon-server.service");
        assertThat(r.output()).contains("config: keeping", "is up to date", "service: nothing changed");
    }

    @Test
    @DisplayName("a dcmon group left behind is reused for the new user instead of failing useradd")
    void reusesALeftoverGroup() throws Exception {
        Files.writeString(s.root.resolve("etc/group"), "dcmon:x:998:\n", java.nio.file.StandardOpenOption.APPEND);

        Scratch.Result r = s.run(install, "--jar", jar.toString());

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(s.calls("useradd")).singleElement().asString().contains(" --system --gid dcmon --home-dir ").doesNotContain("--user-group");
    }

    @Test
    @DisplayName("upgrade: a newer jar is installed and restarted; config, secrets and database stay")
    void newerJarUpgradesAndKeepsState() throws Exception {
        assertThat(s.run(install, "--jar", jar.toString(), "--port", "9443").exit()).isZero();
        // what the running server would have written, and an operator's edit
        Path token = Files.writeString(s.at("/etc/dcmon-server/auth/admin_token"), "secret-admin-token\n");
        Path db = Files.writeString(s.at("/var/lib/dcmon-server/dcmon.db"), "database pages");
        Path conf = s.at("/etc/dcmon-server/server.yaml");
        Files.writeString(conf, Files.readString(conf).replace("metrics_days: 7", "metrics_days: 30"));
        SortedMap<String, String> before = Manifest.of(s.root);
        s.clearCalls();

        Path newer = Jars.newerCopy(jar, tmp.resolve("newer/dcmon-server.jar"));
        Scratch.Result r = s.run(install, "--jar", newer.toString());

        assertThat(r.exit()).as(r.toString()).isZero();
        SortedMap<String, String> after = Manifest.of(s.root);
        assertThat(Manifest.sha256(s.at("/opt/dcmon/dcmon-server.jar"))).isEqualTo(Manifest.sha256(newer)).isNotEqualTo(Manifest.sha256(jar));
        after.remove("opt/dcmon/dcmon-server.jar");
        before.remove("opt/dcmon/dcmon-server.jar");
        assertThat(after).isEqualTo(before);
        assertThat(token).hasContent("secret-admin-token");
        assertThat(db).hasContent("database pages");
        assertThat(Files.readString(conf)).contains("metrics_days: 30", "port: 9443");
        assertThat(s.calls("systemctl")).containsExactly("enable --quiet dcmon-server.service", "restart dcmon-server.service");
        assertThat(r.output()).contains("jar: installed", "service: restarted");
    }

    @Test
    @DisplayName("a config the new jar refuses stops the upgrade before anything is replaced")
    void invalidConfigBlocksTheUpgrade() throws Exception {
        assertThat(s.run(install, "--jar", jar.toString()).exit()).isZero();
        Path conf = s.at("/etc/dcmon-server/server.yaml");
        Files.writeString(conf, Files.readString(conf) + "metrics_dayz: 3\n");
        s.clearCalls();

        Scratch.Result r = s.run(install, "--jar", Jars.newerCopy(jar, tmp.resolve("newer/dcmon-server.jar")).toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.output()).contains("metrics_dayz", "Nothing was replaced");
        assertThat(Manifest.sha256(s.at("/opt/dcmon/dcmon-server.jar"))).isEqualTo(Manifest.sha256(jar));
        assertThat(s.calls("systemctl")).isEmpty();
    }

    @Test
    @DisplayName("uninstall removes unit, jar, command and user but keeps config, secrets and database; --purge removes those")
    void uninstallKeepsDataUntilPurge() throws Exception {
        assertThat(s.run(install, "--jar", jar.toString()).exit()).isZero();
        Files.writeString(s.at("/etc/dcmon-server/auth/admin_token"), "secret-admin-token\n");
        Files.writeString(s.at("/var/lib/dcmon-server/dcmon.db"), "database pages");
        SortedMap<String, String> installed = Manifest.of(s.root);
        s.clearCalls();

        Scratch.Result r = s.run(uninstall);

        assertThat(r.exit()).as(r.toString()).isZero();
        SortedMap<String, String> expected = new TreeMap<>(baseline);
        installed.forEach((path, what) -> {
            if (path.startsWith("etc/dcmon-server") || path.startsWith("var/lib/dcmon-server")) {
                expected.put(path, what);
            }
        });
        expected.put("etc/passwd", baseline.get("etc/passwd"));
        expected.put("etc/group", baseline.get("etc/group"));
        assertThat(Manifest.of(s.root)).isEqualTo(expected);
        assertThat(s.calls("systemctl")).containsExactly("disable --now --quiet dcmon-server.service", "daemon-reload",
                "reset-failed dcmon-server.service");
        assertThat(s.calls("userdel")).containsExactly("--prefix " + s.root + " dcmon");
        assertThat(r.output()).contains("kept " + s.at("/var/lib/dcmon-server"));

        Scratch.Result purge = s.run(uninstall, "--purge");
        assertThat(purge.exit()).as(purge.toString()).isZero();
        assertThat(Manifest.of(s.root)).isEqualTo(baseline);

        Scratch.Result again = s.run(uninstall, "--purge");
        assertThat(again.exit()).as("uninstalling twice is fine: %s", again).isZero();
    }

    @Test
    @DisplayName("without Java 17 the installer installs the oldest openjdk the distribution offers, then continues")
    void installsJavaFromTheDistributionWhenMissing() throws Exception {
        Path link = tmp.resolve("java-from-package");
        s.env.put("DCMON_JAVA", link.toString());
        s.env.put("DCMON_TEST_JAVA_LINK", link.toString());
        s.env.put("DCMON_TEST_APT_OFFERS", "openjdk-21-jre-headless openjdk-25-jre-headless");

        Scratch.Result r = s.run(install, "--jar", jar.toString());

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.output()).contains("no Java at " + link);
        assertThat(s.calls("apt-cache")).containsExactly("show openjdk-17-jre-headless", "show openjdk-21-jre-headless");
        assertThat(s.calls("apt-get")).containsExactly("install -y -q --no-install-recommends openjdk-21-jre-headless");
        assertThat(s.at("/opt/dcmon/dcmon-server.jar")).exists();
    }

    @Test
    @DisplayName("a Java older than 17 that the package does not replace stops the install before any file is written")
    void tooOldJavaStopsTheInstall() throws Exception {
        Path old = tmp.resolve("java11");
        Files.writeString(old, "#!/bin/sh\necho '    java.specification.version = 11' >&2\necho 'openjdk version \"11.0.2\"' >&2\n");
        old.toFile().setExecutable(true);
        s.env.put("DCMON_JAVA", old.toString());

        Scratch.Result r = s.run(install, "--jar", jar.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.output()).contains("Java 11 at " + old + " is too old", "update-alternatives --config java");
        assertThat(s.calls("apt-get")).containsExactly("install -y -q --no-install-recommends openjdk-17-jre-headless");
        assertThat(Manifest.of(s.root)).isEqualTo(baseline);
    }

    @Test
    void badOptionsAreRefusedBeforeAnythingHappens() throws Exception {
        Scratch.Result port = s.run(install, "--jar", jar.toString(), "--port", "70000");
        assertThat(port.exit()).isEqualTo(1);
        assertThat(port.output()).contains("--port was '70000' but it must be a number within 1..65535");

        Scratch.Result notJar = s.run(install, "--jar", Tools.packaging().resolve("server/server.yaml").toString());
        assertThat(notJar.exit()).isEqualTo(1);
        assertThat(notJar.output()).contains("is not a jar");

        Scratch.Result unknown = s.run(install, "--jar", jar.toString(), "--prot", "1");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.output()).contains("unknown option '--prot'");

        assertThat(Manifest.of(s.root)).isEqualTo(baseline);
        assertThat(s.calls()).isEmpty();
    }
}
