package org.edgesplit.core.paper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every scripted scenario must reproduce the reference implementation's per-slot output to a
 * relative error of 1e-9. Scenarios come from the bundled copies, from {@code ../shared/scenarios}
 * next to the repository, and from the folder in system property {@code edgesplit.scenarios}.
 */
class ScenarioReproductionTest {
    private static final double REL_TOL = 1e-9;

    /** Below this magnitude numbers are compared absolutely (exact zeros in the state). */
    private static final double ABS_FLOOR = 1e-12;

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> simulatorReproducesEveryScenarioToRelativeError1e9()
            throws IOException, URISyntaxException {
        List<Path> dirs = new ArrayList<>();
        dirs.add(Path.of(ScenarioReproductionTest.class.getResource("/scenarios").toURI()));
        Path shared = Path.of("").toAbsolutePath().getParent().resolve("../shared/scenarios");
        if (Files.isDirectory(shared)) {
            dirs.add(shared.normalize());
        }
        String extra = System.getProperty("edgesplit.scenarios");
        if (extra != null) {
            dirs.add(Path.of(extra));
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (Path dir : dirs) {
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(p -> p.toString().endsWith(".json"))
                        .sorted()
                        .forEach(
                                p ->
                                        tests.add(
                                                DynamicTest.dynamicTest(
                                                        dir.getFileName() + "/" + p.getFileName(),
                                                        () -> checkScenario(p))));
            }
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(3);
        return tests.stream();
    }

    private static void checkScenario(Path scenario) throws IOException {
        Path expectedFile =
                scenario.resolveSibling(
                        scenario.getFileName().toString().replace(".json", ".expected.jsonl"));
        List<String> expected =
                Files.readAllLines(expectedFile).stream().filter(l -> !l.isBlank()).toList();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc =
                SimMain.run(
                        new String[] {"--scenario", scenario.toString()},
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(rc).as(err.toString(StandardCharsets.UTF_8)).isZero();
        List<String> actual =
                out.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        assertThat(actual).as("slots").hasSameSizeAs(expected);
        for (int k = 0; k < expected.size(); k++) {
            compare(JSON.readTree(expected.get(k)), JSON.readTree(actual.get(k)), "slot " + k);
        }
    }

    static void compare(JsonNode want, JsonNode got, String where) {
        if (want.isNumber()) {
            assertThat(got.isNumber()).as(where).isTrue();
            double w = want.asDouble();
            double g = got.asDouble();
            double scale = Math.max(Math.abs(w), ABS_FLOOR);
            if (Math.abs(w - g) > REL_TOL * scale) {
                fail(where + ": expected " + w + " but got " + g);
            }
        } else if (want.isArray()) {
            assertThat(got.size()).as(where + " length").isEqualTo(want.size());
            for (int i = 0; i < want.size(); i++) {
                compare(want.get(i), got.get(i), where + "[" + i + "]");
            }
        } else if (want.isObject()) {
            want.fieldNames()
                    .forEachRemaining(
                            f -> {
                                assertThat(got.has(f)).as(where + " has " + f).isTrue();
                                compare(want.get(f), got.get(f), where + "." + f);
                            });
        } else {
            assertThat(got).as(where).isEqualTo(want);
        }
    }
}
