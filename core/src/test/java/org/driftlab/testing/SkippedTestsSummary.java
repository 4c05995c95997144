package org.driftlab.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Says at the end of a test run which tests were skipped and why, one line per reason (for example "skipped 2
 * tests: /usr/bin/python3 cannot import torch and numpy: ... [TorchPeerTest.cnnMatchesTorchModules, ...]"), so a
 * machine without the optional oracles (PyTorch, OpenBLAS, Fashion-MNIST) sees what `mvn -B verify` did not check
 * instead of a bare count. Registered for the JUnit Platform through META-INF/services; it changes no result.
 * Hand-written because neither JUnit nor Surefire prints assumption messages on the console.
 */
public final class SkippedTestsSummary implements TestExecutionListener {
    private final Map<String, List<String>> byReason = new LinkedHashMap<>();

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        record(test, reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) { // a failed assumption
            record(test, result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
        }
    }

    private synchronized void record(TestIdentifier test, String reason) {
        String why = reason == null ? "no reason given" : reason.replace("Assumption failed: ", "").strip();
        byReason.computeIfAbsent(why, k -> new ArrayList<>()).add(name(test));
    }

    private static String name(TestIdentifier test) {
        Optional<MethodSource> m = test.getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast);
        if (m.isPresent()) {
            String cls = m.get().getClassName();
            return cls.substring(cls.lastIndexOf('.') + 1) + "." + m.get().getMethodName();
        }
        return test.getDisplayName();
    }

    @Override
    public synchronized void testPlanExecutionFinished(TestPlan plan) {
        // the fork's own stderr, not System.err: Surefire files System.err with the last test class's output
        java.io.PrintStream err = new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true,
                java.nio.charset.StandardCharsets.UTF_8);
        for (Map.Entry<String, List<String>> e : byReason.entrySet()) {
            int n = e.getValue().size();
            err.println("[driftlab] skipped " + n + (n == 1 ? " test: " : " tests: ") + e.getKey() + " "
                    + e.getValue());
        }
        byReason.clear();
    }
}
