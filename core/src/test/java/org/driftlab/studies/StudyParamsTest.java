package org.driftlab.studies;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.driftlab.DriftlabException;
import org.driftlab.study.StudyRunner;
import org.driftlab.study.StudySpec;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A bad parameter of a study is a user error naming the key, raised before the study creates anything: the run
 * directory does not exist afterwards.
 */
class StudyParamsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "catapult; params.scales=[0.5,0.8]; params.scales",
        "break-even; params.k_top=1; params.k_top",
        "break-even; params.batch_sizes=[10,5000]; params.batch_sizes",
        "break-even; params.init_scale=0; params.init_scale",
        "break-even; params.rise=-0.5; params.rise",
        "sane; params.h_edge=0.001; params.h_edge",
        "sane; params.alphas=[-1.0]; params.alphas",
        "fisher-penalty; params.loss=mse; params.loss",
        "fisher-penalty; params.label_noise=[0.25]; params.label_noise",
        "fisher-penalty; params.init_scale=-1; params.init_scale",
        "fisher-penalty; params.growth=1; params.growth",
        "sam; params.sam_rho=0; params.sam_rho",
        "sam; params.gtracer_beta=-1; params.gtracer_beta",
        "sam; params.gtracer_delta=0; params.gtracer_delta",
        "sam; params.gtracer_coef=-1; params.gtracer_coef",
        "fisher-penalty; params.q=0; params.q",
        "fisher-penalty; params.fisher_coef=-1; params.fisher_coef",
        "fisher-penalty; params.grad_norm_coef=-1; params.grad_norm_coef",
        "sgd-eos; params.batch_sizes=[-3]; params.batch_sizes",
        "sgd-eos; params.batch_sizes=[0,100000]; params.batch_sizes",
        "central-flow; params.theta0=[1.0,2.0]; params.theta0",
        "central-flow; params.objective=nonsense; params.objective",
        "central-flow; params.pf_steps=100000; params.pf_steps",
        "langevin; params.h_1d=[2.5]; params.h_1d",
        "langevin; params.a_2d=[1.0]; params.a_2d",
        "langevin; params.burn_in=10000000; params.burn_in",
        "mlp-flows; params.model=cnn-relu:4; params.model",
        "mlp-flows; params.model=fc-tanh:500; params.model",
        "mlp-flows; params.pf_top_k=100000; params.pf_top_k",
        "mlp-flows; params.loss=hinge; params.loss",
        "quadratic-flows; params.theta0=[1.0]; params.theta0",
        "minimalist; params.hs=[-1.0]; params.hs",
        "minimalist; params.edge_tolerance=-0.1; params.edge_tolerance",
        "sgd-picky; params.h=-1; params.h",
        "sgd-picky; params.tolerance=-1e-6; params.tolerance",
        "converged-loss-vs-lr; params.noise=-1; params.noise",
        "converged-loss-vs-lr; params.burn_in=-5; params.burn_in",
        "converged-loss-vs-lr; params.tolerance=-0.05; params.tolerance",
        "gan-mog; params.steps=0; params.steps",
        "gan-mog; params.eval_every=0; params.eval_every",
        "gan-mog; params.eval_every=100000; params.eval_every",
        "gan-mog; params.batch=0; params.batch",
        "gan-mog; params.std=0; params.std",
        "gan-mog; params.alpha=-1; params.alpha",
        "gan-mog; params.eval_samples=0; params.eval_samples",
        "gan-mog; params.scheme=bogus; params.scheme",
        "game-stability; params.factor_min=0; params.factor_min",
        "game-stability; params.factor_max=0.1; params.factor_max",
        "game-stability; params.grid_points=1; params.grid_points",
        "game-stability; params.sim_steps=0; params.sim_steps",
        "game-stability; params.z0=[1.0]; params.z0"})
    void badParameterNamesItsKey(String study, String set, String key) {
        Map<String, Object> tree = StudyRuns.quickTree(study, set);
        DriftlabException e = assertThrows(DriftlabException.class,
                () -> StudyRunner.start(StudySpec.fromMap(tree, true), tmp.resolve("run"), s -> { }));
        assertTrue(e.getMessage().startsWith(key), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("run")), "nothing on disk");
    }
}
