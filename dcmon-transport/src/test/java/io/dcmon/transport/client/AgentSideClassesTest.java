package io.dcmon.transport.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dcmon.core.model.Sample;
import io.dcmon.transport.server.DcmonServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The agent's side of this module (client, wire, command) loads and works with only dcmon-core and Jackson on the
 * class path: no Jetty, Jersey, Caffeine or BouncyCastle, so the agent jar need not carry the server stack.
 */
class AgentSideClassesTest {

    static URL jarOf(Class<?> c) {
        return c.getProtectionDomain().getCodeSource().getLocation();
    }

    @Test
    void clientWireAndCommandClassesNeedNoServerLibraries() throws Exception {
        URL classes = jarOf(DcmonClient.class);
        try (URLClassLoader agent = new URLClassLoader(new URL[] {classes, jarOf(Sample.class), jarOf(ObjectMapper.class),
                jarOf(JsonFactory.class), jarOf(JsonInclude.class)}, ClassLoader.getPlatformClassLoader())) {
            Path root = Path.of(classes.toURI());
            List<String> names;
            try (Stream<Path> files = Stream.of("client", "wire")
                    .flatMap(p -> {
                        try {
                            return Files.walk(root.resolve("io/dcmon/transport").resolve(p));
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })) {
                names = files.filter(f -> f.toString().endsWith(".class"))
                        .map(f -> root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "")).toList();
            }
            assertThat(names).contains("io.dcmon.transport.client.DcmonClient", "io.dcmon.transport.wire.Json");
            for (String n : names) {
                Class.forName(n, true, agent);
            }
            // and they work: build a client, encode a batch
            Object client = agent.loadClass("io.dcmon.transport.client.DcmonClient").getMethod("create", URI.class)
                    .invoke(null, URI.create("http://127.0.0.1:9/"));
            assertThat(client).isNotNull();
            Object mapper = agent.loadClass("io.dcmon.transport.wire.Json").getMethod("mapper").invoke(null);
            Object batch = agent.loadClass("io.dcmon.transport.wire.MetricsBatch").getConstructor(List.class).newInstance(List.of());
            assertThat(mapper.getClass().getMethod("writeValueAsString", Object.class).invoke(mapper, batch)).isEqualTo("{\"samples\":[]}");
            // the isolation is real: the server side does not load there
            assertThatThrownBy(() -> Class.forName(DcmonServer.class.getName(), true, agent)).isInstanceOf(NoClassDefFoundError.class);
        }
    }
}
