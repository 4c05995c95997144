package org.driftlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.driftlab.data.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code driftlab landscape}: a plane end to end, resumption by rerunning, and bad options (one line, exit 2, no files). */
class LandscapeCommandTest {
    private static final String DATA = "synthetic:blobs:n=30,d=5,k=3,seed=4";

    @Test
    void computesAPlaneAndContinuesWhenRerun(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("plane");
        String[] args = {"landscape", "--model", "fc-tanh:4", "--data", DATA, "--directions", "random-filter-normalised",
            "--grid", "5", "--range", "0.5", "--parallel", "1", "--out", out.toString()};
        CliRun.run(0, args);
        for (String f : List.of("landscape.json", "directions.npz", "landscape.npz", "report.html",
                "chart-landscape-contour.png", "chart-landscape-surface.png", "chart-landscape-contour.svg",
                "chart-landscape-contour.pdf")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        double[] loss = Npy.readNpz(out.resolve("landscape.npz")).get("loss").values();
        // rerunning a finished landscape recomputes nothing and rewrites the same grid, with another --parallel
        String[] again = CliRun.run(0, "landscape", "--model", "fc-tanh:4", "--data", DATA, "--directions",
                "random-filter-normalised", "--grid", "5", "--range", "0.5", "--parallel", "2", "--out", out.toString());
        assertTrue(again[1].contains("resuming: 25 of 25"), again[1]);
        assertTrue(again[1].contains("(local, 2 points at a time)"), again[1]);
        assertEquals(25, loss.length);
        for (int i = 0; i < 25; i++) {
            assertEquals(loss[i], Npy.readNpz(out.resolve("landscape.npz")).get("loss").values()[i], 0.0);
        }
        // the same --out with other settings is refused
        String[] other = CliRun.run(2, "landscape", "--model", "fc-tanh:4", "--data", DATA, "--directions",
                "random-filter-normalised", "--grid", "7", "--range", "0.5", "--parallel", "1", "--out", out.toString());
        assertTrue(other[1].contains("other settings (grid 5 there, 7 here)"), other[1]);
    }

    @Test
    void badOptionsEndInOneLineWithCodeTwoAndLeaveNothing(@TempDir Path tmp) throws Exception {
        Path wrong = tmp.resolve("wrong.npy");
        Npy.write(wrong, new double[] {1, 2, 3});
        Path file = tmp.resolve("a-file");
        Files.writeString(file, "x");
        Path notRun = tmp.resolve("not-a-run");
        Files.createDirectories(notRun);
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {"--model", "fc-tanh:4", "--data", DATA, "--directions", "sideways"});
        cases.add(new String[] {"--model", "fc-tanh:4", "--data", DATA, "--directions", "hessian-top2", "--grid", "1"});
        cases.add(new String[] {"--model", "fc-tanh:4", "--data", DATA, "--directions", "hessian-top2", "--range", "-1"});
        cases.add(new String[] {"--model", "fc-tanh:4", "--data", DATA, "--directions", "hessian-top2", "--dims", "3"});
        cases.add(new String[] {"--model", "fc-tanh:4", "--data", DATA, "--directions", "hessian-top2", "--parallel", "-1"});
        cases.add(new String[] {"--model", "xyzw", "--directions", "hessian-top2", "--engine", "nonsense"});
        cases.add(new String[] {"--model", "fc-tanh:4", "--data", DATA, "--directions", "hessian-top2", "--master", "local[2]"});
        // the spark engine is a separate module, not on the core's class path
        cases.add(new String[] {"--model", "xyzw", "--directions", "hessian-top2", "--engine", "spark"});
        cases.add(new String[] {"--directions", "hessian-top2"});
        cases.add(new String[] {notRun.toString(), "--model", "xyzw", "--directions", "hessian-top2"});
        cases.add(new String[] {notRun.toString(), "--directions", "hessian-top2"});
        cases.add(new String[] {"--model", "xyzw", "--data", DATA, "--directions", "hessian-top2"});
        cases.add(new String[] {"--model", "fc-tanh:4", "--directions", "hessian-top2"});
        cases.add(new String[] {"--model", "fc-tanh:4", "--data", "nope:x", "--directions", "hessian-top2"});
        cases.add(new String[] {"--model", "fc-tanh:4", "--data", DATA, "--loss", "hinge", "--directions", "hessian-top2"});
        cases.add(new String[] {"--model", "fc-tanh:4", "--data", DATA, "--params", wrong.toString(), "--directions",
            "hessian-top2"});
        cases.add(new String[] {"--model", "xyzw", "--params", tmp.resolve("missing.npy").toString(), "--directions",
            "hessian-top2"});
        cases.add(new String[] {"--model", "xyzw", "--directions", "trajectory-pca"});
        cases.add(new String[] {"--model", "xyzw", "--directions", "random-filter-normalised", "--params",
            zeros(tmp).toString()});
        cases.add(new String[] {"--model", "quadratic:eigs=3", "--directions", "hessian-top2"});
        int n = 0;
        for (String[] c : cases) {
            Path out = tmp.resolve("out" + n++);
            List<String> args = new ArrayList<>(List.of("landscape"));
            args.addAll(List.of(c));
            args.addAll(List.of("--out", out.toString()));
            String[] res = CliRun.run(2, args.toArray(new String[0]));
            String err = res[1].strip();
            assertTrue(err.startsWith("driftlab: "), err);
            assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
            if (List.of(c).contains("--parallel")) {
                assertTrue(err.startsWith("driftlab: --parallel: "), "names the option typed: " + err);
            }
            long lines = err.lines().filter(l -> !l.startsWith("Try '")).count();
            assertEquals(1, lines, String.join(" ", c) + ":\n" + err);
            assertFalse(Files.exists(out), "nothing left on disk: " + String.join(" ", c));
        }
        // an --out that is a file, or a directory holding something else, is refused and left as it was
        CliRun.run(2, "landscape", "--model", "xyzw", "--directions", "hessian-top2", "--out", file.toString());
        assertEquals("x", Files.readString(file));
        Files.writeString(notRun.resolve("keep.txt"), "mine");
        CliRun.run(2, "landscape", "--model", "xyzw", "--directions", "hessian-top2", "--out", notRun.toString());
        try (Stream<Path> s = Files.list(notRun)) {
            assertEquals(1, s.count());
        }
    }

    private static Path zeros(Path tmp) {
        Path z = tmp.resolve("zeros.npy");
        Npy.write(z, new double[4]);
        return z;
    }
}
