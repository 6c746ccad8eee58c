package io.dcmon.packaging;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A scratch system for the install scripts: {@code root/} is DCMON_ROOT, seeded with what a Debian
 * system already has (so that after a purge the tree can be compared with this baseline), and
 * {@code bin/} holds stand-ins for the commands that would change the real machine. Each stand-in
 * appends one line ({@code name args...}) to {@code calls.log}. Those that manage state the scripts
 * read back behave like the real command on the scratch root: useradd/userdel edit
 * {@code root/etc/passwd}, apt-get marks packages installed for dpkg-query.
 */
final class Scratch {

    /** How long one script run may take: a JVM start on a loaded 2-core CI box can take seconds. */
    static final long SCRIPT_TIMEOUT_SECONDS = 240;

    final Path dir;
    final Path root;
    final Path bin;
    final Path log;
    final Path state;
    final Map<String, String> env = new HashMap<>();

    private Scratch(Path dir) {
        this.dir = dir;
        this.root = dir.resolve("root");
        this.bin = dir.resolve("bin");
        this.log = dir.resolve("calls.log");
        this.state = dir.resolve("state");
    }

    /** A fresh scratch system in {@code dir}. */
    static Scratch create(Path dir) throws IOException {
        Scratch s = new Scratch(dir);
        for (String d : List.of("etc/systemd/system", "opt", "var/lib", "usr/local/bin", "usr/sbin")) {
            Files.createDirectories(s.root.resolve(d));
        }
        Files.writeString(s.root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        Files.writeString(s.root.resolve("etc/group"), "root:x:0:\n");
        Files.createDirectories(s.bin);
        Files.createDirectories(s.state);
        Files.writeString(s.log, "");
        Files.writeString(s.state.resolve("dpkg-installed"), "");
        String record = "echo \"$(basename \"$0\") $*\" >> \"$DCMON_TEST_LOG\"\n";
        s.standIn("systemctl", record);
        s.standIn("chown", record);
        s.standIn("useradd", record
                + "for u; do :; done\n"
                + "echo \"$u:x:999:999:dcmon:/var/lib/dcmon-server:/usr/sbin/nologin\" >> \"$DCMON_ROOT/etc/passwd\"\n"
                + "echo \"$u:x:999:\" >> \"$DCMON_ROOT/etc/group\"\n");
        s.standIn("userdel", record
                + "for u; do :; done\n"
                + "sed -i \"/^$u:/d\" \"$DCMON_ROOT/etc/passwd\" \"$DCMON_ROOT/etc/group\"\n");
        // apt-cache show PKG succeeds for the packages the "distribution" offers (all unless limited).
        s.standIn("apt-cache", record
                + "[ -z \"${DCMON_TEST_APT_OFFERS:-}\" ] && exit 0\n"
                + "case \" $DCMON_TEST_APT_OFFERS \" in *\" $2 \"*) exit 0 ;; esac\n"
                + "exit 100\n");
        // apt-get install marks packages installed; a Java package makes DCMON_TEST_JAVA_LINK a launcher of this JVM.
        s.standIn("apt-get", record
                + "[ \"$1\" = install ] || exit 0\n"
                + "for p; do case \"$p\" in -*|install) ;; *)\n"
                + "  echo \"$p\" >> \"$DCMON_TEST_STATE/dpkg-installed\"\n"
                + "  case \"$p\" in openjdk-*) [ -z \"${DCMON_TEST_JAVA_LINK:-}\" ] || { "
                + "printf '#!/bin/sh\\nexec %s \"$@\"\\n' \"$DCMON_TEST_REAL_JAVA\" > \"$DCMON_TEST_JAVA_LINK\"; chmod +x \"$DCMON_TEST_JAVA_LINK\"; } ;; esac ;;\n"
                + "esac; done\n");
        s.standIn("dpkg-query", record
                + "for p; do :; done\n"
                + "grep -qx \"$p\" \"$DCMON_TEST_STATE/dpkg-installed\" || exit 1\n"
                + "printf installed\n");
        s.env.put("PATH", s.bin + File.pathSeparator + System.getenv("PATH"));
        s.env.put("DCMON_ROOT", s.root.toString());
        s.env.put("DCMON_START_WAIT", "0");
        s.env.put("DCMON_TEST_LOG", s.log.toString());
        s.env.put("DCMON_TEST_STATE", s.state.toString());
        s.env.put("DCMON_TEST_REAL_JAVA", Tools.currentJava().toString());
        return s;
    }

    private void standIn(String name, String body) throws IOException {
        Path p = bin.resolve(name);
        Files.writeString(p, "#!/bin/bash\n# test stand-in for " + name + "\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Marks a distribution package as already installed (what dpkg-query reports). */
    void packageInstalled(String pkg) throws IOException {
        Files.writeString(state.resolve("dpkg-installed"), pkg + "\n", java.nio.file.StandardOpenOption.APPEND);
    }

    /** Runs a script with bash, stdin from /dev/null (no terminal: nothing may prompt). */
    Result run(Path script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("bash");
        cmd.add(script.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().remove("DCMON_ADMIN_TOKEN");
        pb.environment().remove("DCMON_JAVA");
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "run", ".out");
        pb.redirectOutput(out.toFile());
        Process p = pb.start();
        if (!p.waitFor(SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(script + " did not finish within " + SCRIPT_TIMEOUT_SECONDS + " s; output:\n"
                    + Files.readString(out));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    /**
     * Runs a script in a pseudo-terminal ({@code script} from util-linux), the way an operator types
     * it: once {@code prompt} appears in the output, {@code answer} is typed followed by Enter.
     */
    Result runInTerminal(Path script, String prompt, String answer, String... args) throws IOException, InterruptedException {
        StringBuilder cmd = new StringBuilder("bash '").append(script).append('\'');
        for (String a : args) {
            cmd.append(" '").append(a).append('\'');
        }
        ProcessBuilder pb = new ProcessBuilder(Tools.require("script", "bsdutils").toString(), "-qec", cmd.toString(), "/dev/null")
                .directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().remove("DCMON_ADMIN_TOKEN");
        pb.environment().remove("DCMON_JAVA");
        pb.environment().putAll(env);
        Process p = pb.start();
        StringBuffer out = new StringBuffer();
        Thread reader = new Thread(() -> {
            try (var in = new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)) {
                char[] buf = new char[4096];
                for (int n; (n = in.read(buf)) > 0; ) {
                    out.append(buf, 0, n);
                }
            } catch (IOException e) {
                out.append("\n(reading the terminal failed: ").append(e).append(')');
            }
        }, "terminal-reader");
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SCRIPT_TIMEOUT_SECONDS);
        while (out.indexOf(prompt) < 0 && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (out.indexOf(prompt) >= 0) {
            p.getOutputStream().write((answer + "\r").getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().flush();
        }
        if (!p.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(script + " did not finish; terminal so far:\n" + out);
        }
        reader.join(10_000);
        return new Result(p.exitValue(), out.toString().replace("\r\n", "\n"));
    }

    /** The stand-in calls recorded so far, one {@code name args...} line each. */
    List<String> calls() throws IOException {
        return Files.readAllLines(log);
    }

    /** Forgets the recorded calls (to look at one run alone). */
    void clearCalls() throws IOException {
        Files.writeString(log, "");
    }

    /** Recorded calls of one command, without the command name. */
    List<String> calls(String command) throws IOException {
        return calls().stream().filter(l -> l.startsWith(command + " ")).map(l -> l.substring(command.length() + 1)).toList();
    }

    /** A path inside the scratch root, given as the target system's absolute path. */
    Path at(String absolute) {
        return root.resolve(absolute.substring(1));
    }

    /**
     * What a script printed and how it ended.
     *
     * @param exit   exit status
     * @param output stdout and stderr, interleaved
     */
    record Result(int exit, String output) {
        @Override
        public String toString() {
            return "exit " + exit + ", output:\n" + output;
        }
    }
}
