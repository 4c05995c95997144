package org.driftlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Environment variables are validated like options (issue 17: a non-numeric DRIFTLAB_THREADS was ignored). */
class EnvironmentTest {
    private static String refused(Map<String, String> env) {
        return assertThrows(DriftlabException.class, () -> Environment.check(env)).getMessage();
    }

    @Test
    void badValuesAreOneLineNamingTheVariableTheValueAndWhatIsExpected(@TempDir Path tmp) throws Exception {
        assertEquals("environment variable DRIFTLAB_THREADS='abc' is not valid: expected a whole number of threads "
                + "from 1 to 1024", refused(Map.of("DRIFTLAB_THREADS", "abc")));
        for (String v : new String[] {"0", "-2", "1025", "2.5", "99999999999"}) {
            refused(Map.of("DRIFTLAB_THREADS", v));
        }
        assertEquals("environment variable DRIFTLAB_BLAS='fast' is not valid: expected one of auto, native, java, naive",
                refused(Map.of("DRIFTLAB_BLAS", "fast")));
        Path file = Files.createFile(tmp.resolve("f"));
        assertEquals("environment variable DRIFTLAB_EXPERIMENTS='" + file + "' is not valid: expected a directory (this "
                + "is a file)", refused(Map.of("DRIFTLAB_EXPERIMENTS", file.toString())));
        assertEquals("environment variable DRIFTLAB_MNIST_DIR='" + tmp.resolve("no") + "' is not valid: expected a "
                + "directory (it does not exist)", refused(Map.of("DRIFTLAB_MNIST_DIR", tmp.resolve("no").toString())));
        refused(Map.of("DRIFTLAB_FASHION_MNIST_DIR", tmp.resolve("no").toString()));
    }

    @Test
    void goodValuesAndUnsetOnesPass(@TempDir Path tmp) {
        Environment.check(Map.of());
        Environment.check(Map.of("DRIFTLAB_THREADS", " ", "DRIFTLAB_BLAS", ""));
        assertEquals(3, Environment.threads(Map.of("DRIFTLAB_THREADS", " 3 ")));
        assertEquals(0, Environment.threads(Map.of()));
        assertEquals("java", Environment.blas(Map.of("DRIFTLAB_BLAS", "Java")));
        assertNull(Environment.blas(Map.of()));
        assertEquals(tmp, Environment.directory(Map.of("DRIFTLAB_EXPERIMENTS", tmp.toString()), "DRIFTLAB_EXPERIMENTS"));
    }
}
