package org.driftlab;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * driftlab as a dependency brings no test framework into its users' compile or runtime class path. The build writes
 * the verbose dependency tree (core/pom.xml, execution dependency-tree), which also lists what a version conflict
 * hid here: a consumer without our JUnit in test scope would get those. Today pdfbox (under XChart) declares
 * junit-jupiter in compile scope, so this fails without the exclusions on XChart.
 */
class DependencyScopeTest {
    private static final Path TREE = Path.of("core/target/dependency-tree.txt");
    /** groupId:artifactId:type:version:scope, with an optional classifier before the version. */
    private static final Pattern COORDINATES = Pattern.compile("([\\w.-]+):([\\w.-]+):[\\w-]+(?::[\\w.-]+)?:[\\w.-]+:(compile|runtime|provided|test|system)");
    private static final List<String> TEST_GROUPS = List.of("org.junit", "junit", "org.opentest4j", "org.hamcrest",
            "org.mockito", "org.assertj", "org.testng", "net.jqwik");

    @Test
    void noTestFrameworkInCompileOrRuntimeScope() throws IOException {
        Assumptions.assumeTrue(Files.exists(TREE), TREE + " is written by mvn (generate-test-resources); not run by Maven");
        List<String> leaks = new ArrayList<>();
        int compile = 0;
        for (String line : Files.readAllLines(TREE)) {
            Matcher m = COORDINATES.matcher(line);
            if (!m.find()) {
                continue;
            }
            boolean shipped = m.group(3).equals("compile") || m.group(3).equals("runtime");
            compile += shipped ? 1 : 0;
            String group = m.group(1);
            if (shipped && TEST_GROUPS.stream().anyMatch(g -> group.equals(g) || group.startsWith(g + "."))) {
                leaks.add(line.strip());
            }
        }
        assertTrue(compile > 5, "the tree was parsed: " + compile + " compile/runtime entries");
        assertTrue(leaks.isEmpty(), "test frameworks a driftlab user would get: " + leaks);
    }
}
