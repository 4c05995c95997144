package org.driftlab.studies;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.driftlab.DriftlabException;
import org.driftlab.experiment.SpecLoader;
import org.driftlab.study.StudyRunner;
import org.driftlab.study.StudySpec;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A bad parameter of an SGD-phenomena study is a user error naming the key, raised before any training. */
class StudyParamsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "catapult; params.scales=[0.5,0.8]; params.scales",
        "break-even; params.k_top=1; params.k_top",
        "break-even; params.batch_sizes=[10,5000]; params.batch_sizes",
        "sane; params.h_edge=0.001; params.h_edge",
        "sane; params.alphas=[-1.0]; params.alphas",
        "fisher-penalty; params.loss=mse; params.loss",
        "fisher-penalty; params.label_noise=[0.25]; params.label_noise",
        "sam; params.sam_rho=0; params.sam_rho",
        "sgd-eos; params.batch_sizes=[-3]; params.batch_sizes"})
    void badParameterNamesItsKey(String study, String set, String key) {
        Map<String, Object> tree = SpecLoader.loadTree(Path.of("experiments/" + study + ".yaml"), true, List.of(set));
        DriftlabException e = assertThrows(DriftlabException.class,
                () -> StudyRunner.start(StudySpec.fromMap(tree, true), tmp.resolve("run"), s -> { }));
        assertTrue(e.getMessage().startsWith(key), e.getMessage());
    }
}
