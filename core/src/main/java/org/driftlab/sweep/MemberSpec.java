package org.driftlab.sweep;

import java.io.Serializable;
import java.util.Map;
import org.driftlab.DriftlabException;
import org.driftlab.experiment.Runner;
import org.driftlab.experiment.Spec;
import org.driftlab.study.StudyRunner;
import org.driftlab.study.StudySpec;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * A member's spec, validated by the experiment layer: a training spec or a study, its YAML text (what travels to
 * wherever the member runs) and its thread count. This class and {@link MemberJob} are the sweep layer's only
 * contact with the experiment layer.
 *
 * @param yaml the member's spec tree as YAML (quick: already applied)
 * @param study true for a study, false for a training spec
 * @param threads the threads the member computes with
 */
public record MemberSpec(String yaml, boolean study, int threads) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** True when a tree names a study ({@code kind:} other than train). */
    static boolean isStudy(Map<String, Object> tree) {
        return StudySpec.isStudy(tree);
    }

    /** Validates a member tree as the experiment layer validates a spec file (an error names the key). */
    static MemberSpec validate(Map<String, Object> tree, boolean quick) {
        Map<String, Object> t = Trees.copy(tree);
        int threads;
        boolean study = StudySpec.isStudy(t);
        // the experiment layer's checks before a run allocates anything (its data sources exist, …)
        if (study) {
            StudySpec s = StudySpec.fromMap(t, quick);
            StudyRunner.check(s);
            threads = s.threads();
        } else {
            t.remove("kind");
            Spec s = Spec.fromMap(t);
            Runner.check(s, Runner.Options.defaults());
            threads = s.threads();
        }
        return new MemberSpec(toYaml(tree), study, threads);
    }

    static String toYaml(Map<String, Object> tree) {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(o).dump(tree);
    }
}
