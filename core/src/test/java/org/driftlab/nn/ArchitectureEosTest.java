package org.driftlab.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.driftlab.data.HideInstalledData;
import org.driftlab.experiment.Metrics;
import org.driftlab.experiment.RunResult;
import org.driftlab.experiment.Runner;
import org.driftlab.experiment.Spec;
import org.driftlab.experiment.SpecLoader;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The catalogue's architecture experiments ({@code experiments/eos-vit.yaml}, {@code eos-resmlp.yaml}) at their
 * {@code --quick} size on the Fashion-MNIST subset embedded in the jar (the installed set is hidden, so a bare
 * machine gets the same numbers): full-batch GD reaches the edge of stability and stays there. Judged from the
 * metrics themselves (λ1 and h of every probe, the training loss), not from the runner's verdict: the first steps
 * throw λ1 from far above 2/h to below it (the catapult of a LayerNorm'd net), progressive sharpening then brings it
 * back to 2/h, and from that crossing on λ1 hovers near 2/h while the loss keeps falling, with spikes.
 */
@ExtendWith(HideInstalledData.class)
class ArchitectureEosTest {
    /** The band around 2/h that counts as at the edge: Cohen et al.'s λ1 hovers within a few percent of 2/h. */
    private static final double BAND = 0.10;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"eos-vit", "eos-resmlp"})
    void quickSizeReachesTwoOverHAndHovers(String name) {
        Spec spec = SpecLoader.load(Path.of("experiments", name + ".yaml"), true, List.of());
        RunResult run = Runner.start(spec, tmp.resolve(name), Runner.Options.defaults());
        Metrics probes = run.subRun(0).nonEmpty("sharpness");
        long[] steps = probes.longCol("step");
        double[] lambda = probes.col("sharpness");
        double[] h = probes.col("h");
        String trace = trace(steps, lambda);

        // the catapult: λ1 starts above 2/h and is below it at some later probe
        assertTrue(lambda[0] > 2 / h[0], name + ": λ1(θ0) not above 2/h: " + trace);
        int below = -1;
        for (int i = 1; i < lambda.length && below < 0; i++) {
            if (lambda[i] < 2 / h[i]) {
                below = i;
            }
        }
        assertTrue(below > 0, name + ": λ1 never below 2/h after θ0: " + trace);
        // progressive sharpening from there: a later probe at or above 2/h (the crossing)
        int crossing = -1;
        for (int i = below + 1; i < lambda.length && crossing < 0; i++) {
            if (lambda[i] >= 2 / h[i]) {
                crossing = i;
            }
        }
        assertTrue(crossing > 0, name + ": λ1 does not come back to 2/h: " + trace);
        // hovering: from the crossing on, at least 3/4 of at least 10 probes within ±10% of 2/h (measured: 90% and
        // 100%; a run that crossed and kept sharpening, or fell back, would have most probes outside the band)
        int inBand = 0;
        int after = lambda.length - crossing;
        for (int i = crossing; i < lambda.length; i++) {
            inBand += Math.abs(lambda[i] * h[i] / 2 - 1) <= BAND ? 1 : 0;
        }
        assertTrue(after >= 10, name + ": too few probes after the crossing at step " + steps[crossing] + ": " + trace);
        assertTrue(inBand >= 0.75 * after, name + ": only " + inBand + " of " + after + " probes from step "
                + steps[crossing] + " within ±10% of 2/h: " + trace);

        // the loss keeps falling at the edge, but not monotonically
        Metrics losses = run.subRun(0).nonEmpty("train_loss");
        long[] at = losses.longCol("step");
        double[] loss = losses.col("train_loss");
        int first = 0;
        while (at[first] < steps[crossing]) {
            first++;
        }
        boolean spike = false;
        for (int i = first + 1; i < loss.length; i++) {
            spike |= loss[i] > loss[i - 1];
        }
        assertTrue(loss[loss.length - 1] < loss[first], name + ": the loss does not fall at the edge");
        assertTrue(spike, name + ": the loss falls monotonically after the crossing: no sign of the instability");
    }

    private static String trace(long[] steps, double[] lambda) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < steps.length; i++) {
            b.append(String.format(Locale.ROOT, "%d:%.4g ", steps[i], lambda[i]));
        }
        return b.toString().strip();
    }
}
