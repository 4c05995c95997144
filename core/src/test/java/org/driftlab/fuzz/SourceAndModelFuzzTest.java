package org.driftlab.fuzz;

import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Data-source and model strings built from their grammar with awkward pieces (unknown kinds and options, sizes of 0,
 * 2^31 and beyond, negative and non-numeric values, empty fields, control characters), fed to {@code driftlab eval}:
 * valid ones are evaluated, the others refused in one line with exit 2, never an internal error.
 */
class SourceAndModelFuzzTest {
    @Provide
    Arbitrary<String> numbers() {
        return Arbitraries.of("1", "2", "7", "40", "0", "-1", "2147483647", "2147483648", "99999999999", "1e3", "1.5",
                "abc", "", " 3", "NaN", "0x10");
    }

    @Provide
    Arbitrary<String> sources() {
        Arbitrary<String> n = numbers();
        Arbitrary<String> option = Arbitraries.oneOf(n.map(s -> s), Arbitraries.of("stratified", "standardize", "first",
                "random-labels", "label-noise=0.3", "label-noise=-0.5", "label-noise=1", "label-noise=x",
                "noise-seed=3", "noise-seed=x", "classes=3", "classes=0", "bogus", "bogus=1", "\u001b[1m", ""));
        Arbitrary<String> options = option.list().ofMinSize(0).ofMaxSize(3).map(l -> l.isEmpty() ? "" : ":"
                + String.join(":", l));
        Arbitrary<String> param = Combinators.combine(Arbitraries.of("n", "d", "k", "spread", "seed", "noise", "hidden",
                "orthogonal", "bogus", "n", "d"), n).as((k, v) -> k + "=" + v);
        Arbitrary<String> params = param.list().ofMinSize(0).ofMaxSize(4).map(l -> String.join(",", l));
        Arbitrary<String> synthetic = Combinators.combine(Arbitraries.of("blobs", "moons", "teacher", "linreg", "nope",
                ""), params, options).as((g, p, o) -> "synthetic:" + g + (p.isEmpty() && o.isEmpty() ? "" : ":" + p) + o);
        // Fashion-MNIST is asked for a size always (a whole split would be valid, and slow for a fuzz test)
        Arbitrary<String> fashion = Combinators.combine(Arbitraries.of("train", "test", "val", ""),
                Arbitraries.of("10", "0", "-3", "70000", "5001", "abc", "20:stratified", "stratified"), options)
                .as((s, size, o) -> "fashion-mnist:" + s + ":" + size + o);
        Arbitrary<String> files = Combinators.combine(Arbitraries.of("idx", "npz", "csv", "cifar10", "mnist"),
                Arbitraries.of("", "/no/such/file", "/tmp", "a,b", "/no/a,/no/b", "/tmp:train", "/tmp:test:3"), options)
                .as((k, f, o) -> k + ":" + f + o);
        Arbitrary<String> junk = Arbitraries.of("", " ", ":", "::::", "synthetic", "blobs", "fashion-mnist",
                "synthetic:blobs:n=3:n=4", "\u0000", "synthetic:blobs:\n", "npz:");
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(5, synthetic), net.jqwik.api.Tuple.of(2, fashion),
                net.jqwik.api.Tuple.of(2, files), net.jqwik.api.Tuple.of(1, junk));
    }

    @Property(tries = 120)
    void dataSources(@ForAll("sources") String source) throws Exception {
        Fuzz.inScratch(dir -> {
            Fuzz.refusedCleanlyOrRun(dir, "eval", "--model", "fc-tanh:3", "--data", source, "--loss", "mse");
        });
    }

    @Provide
    Arbitrary<String> models() {
        Arbitrary<String> width = Arbitraries.of("1", "3", "2", "0", "-1", "", " 2 ", "a", "2147483647", "100000000",
                "99999999999", "1.5", "3e2");
        Arbitrary<String> widths = width.list().ofMinSize(0).ofMaxSize(4).map(l -> String.join(",", l));
        Arbitrary<String> kind = Arbitraries.of("fc-tanh", "fc-relu", "fc-gelu", "fc-identity", "cnn-relu", "cnn-tanh",
                "fc-swish", "fc-", "mlp", "cnn", "", "FC-TANH", "fc-linear");
        Arbitrary<String> structured = Combinators.combine(kind, Arbitraries.of(":", ":", "", "::"), widths)
                .as((k, c, w) -> k + c + w);
        Arbitrary<String> toys = Arbitraries.of("quadratic:eigs=1,10", "quadratic:eigs=", "xyzw", "rosenbrock:d=-1",
                "\u001b]0;title\u0007", "fc-tanh:3\nfc-tanh:4", "resmlp:width=2147483647,depth=1",
                "vit:patch=7,dim=2147483647,heads=1,depth=1,mlp=4", "resnet-cnn:width=2147483647,depth=1",
                "vit:patch=7,dim=8,heads=1,depth=1,mlp=2147483647", "resmlp:width=3,depth=0");
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(9, structured), net.jqwik.api.Tuple.of(1, toys));
    }

    @Property(tries = 120)
    void modelStrings(@ForAll("models") String model, @ForAll boolean images) throws Exception {
        Fuzz.inScratch(dir -> {
            // flat 784 inputs are read as 28x28 images by a cnn
            String data = images ? "synthetic:blobs:n=4,d=784,k=3,seed=1" : "synthetic:blobs:n=6,d=4,k=3,seed=1";
            Fuzz.refusedCleanlyOrRun(dir, "eval", "--model", model, "--data", data, "--loss", "ce");
        });
    }
}
