package org.driftlab.fuzz;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.driftlab.data.Npy;
import org.driftlab.testing.Cli;

/**
 * Command lines of random options and values for the commands that read user input (eval, curvature, run, sweep,
 * resume, report, show, list): unknown options, missing and repeated values, numbers out of range, paths that are
 * directories, files or absent. Each ends with exit 0 or with one line and exit 2; nothing is written outside the
 * scratch directory (every command that writes is given an --out there).
 */
class CliOptionFuzzTest {
    /** Placeholders in the option pools, replaced by paths in the try's scratch directory. */
    private static final String SPEC = "@spec";
    private static final String SWEEP = "@sweep";
    private static final String THETA = "@theta";
    private static final String DIR = "@dir";
    private static final String FILE = "@file";
    private static final String MISSING = "@missing";

    @Provide
    Arbitrary<List<String>> commandLines() {
        Arbitrary<String> path = Arbitraries.of(SPEC, SWEEP, THETA, DIR, FILE, MISSING, "", "-", "--", "\u001b[2J");
        Arbitrary<String> number = Arbitraries.of("0", "1", "3", "-1", "2147483648", "abc", "1.5", "nan", "", "1e3");
        Arbitrary<List<String>> option = Arbitraries.oneOf(
                Combinators.combine(Arbitraries.of("--model"), Arbitraries.of("fc-tanh:3", "fc-tanh:", "x", ""))
                        .as(List::of),
                Combinators.combine(Arbitraries.of("--data"), Arbitraries.of("synthetic:blobs:n=12,d=4,k=3,seed=1",
                        "synthetic:blobs:n=0", "npz:" + MISSING, "")).as(List::of),
                Combinators.combine(Arbitraries.of("--loss"), Arbitraries.of("mse", "ce", "huber", "")).as(List::of),
                Combinators.combine(Arbitraries.of("--params", "--save-params", "--density", "--out"), path)
                        .as(List::of),
                Combinators.combine(Arbitraries.of("--seed", "--topk", "--lanczos-iters", "--hutchinson", "--lr",
                        "--parallel", "--slq-steps"), number).as(List::of),
                Combinators.combine(Arbitraries.of("--init"), Arbitraries.of("pytorch", "xavier", "bogus")).as(List::of),
                Combinators.combine(Arbitraries.of("--engine"), Arbitraries.of("local", "bogus", "")).as(List::of),
                Combinators.combine(Arbitraries.of("--directions"), Arbitraries.of("random-filter-normalised",
                        "hessian-top2", "bogus", "")).as(List::of),
                Combinators.combine(Arbitraries.of("--grid", "--range", "--dims"), number).as(List::of),
                Combinators.combine(Arbitraries.of("--set"), Arbitraries.of("stop.steps=3", "optimizer.lr=abc",
                        "bogus=1", "=", "noequals", "model=fc-tanh:", "stop.steps=-1", "sweep.grid.seed=[0,1]"))
                        .as(List::of),
                Arbitraries.of("--json", "--quick", "--new-segment", "--help", "--bogus", "-x", "--model", "--out")
                        .map(List::of),
                path.map(List::of));
        Arbitrary<String> command = Arbitraries.of("eval", "curvature", "run", "sweep", "resume", "report", "show",
                "list", "landscape", "bogus", "");
        return Combinators.combine(command, option.list().ofMinSize(0).ofMaxSize(5)).as((c, opts) -> {
            List<String> args = new ArrayList<>();
            if (!c.isEmpty()) {
                args.add(c);
            }
            opts.forEach(args::addAll);
            if ((c.equals("run") || c.equals("sweep") || c.equals("landscape")) && !args.contains("--out")) {
                args.add("--out"); // never the default runs/ in the working directory
                args.add(DIR + "/new");
            }
            return args;
        });
    }

    @Property(tries = 150)
    void commandLinesOfRandomOptions(@ForAll("commandLines") List<String> template) throws Exception {
        Fuzz.inScratch(dir -> {
            Path spec = Files.writeString(dir.resolve("spec.yaml"), SpecFuzzTest.QUADRATIC);
            Path sweep = Files.writeString(dir.resolve("sweep.yaml"), SpecFuzzTest.SWEEP);
            Path theta = dir.resolve("theta.npy");
            Npy.write(theta, new double[27]);
            Path file = Files.writeString(dir.resolve("file.txt"), "x");
            Path sub = Files.createDirectories(dir.resolve("dir"));
            List<String> args = new ArrayList<>();
            for (String a : template) {
                args.add(a.replace(SPEC, spec.toString()).replace(SWEEP, sweep.toString())
                        .replace(THETA, theta.toString()).replace(DIR, sub.toString()).replace(FILE, file.toString())
                        .replace(MISSING, dir.resolve("missing").toString()));
            }
            List<String> runsBefore = Cli.listing(Path.of("runs"));
            Fuzz.refusedCleanlyOrRun(dir, args.toArray(new String[0]));
            org.junit.jupiter.api.Assertions.assertEquals(runsBefore, Cli.listing(Path.of("runs")),
                    "nothing written to the working directory's runs/");
        });
    }

}
