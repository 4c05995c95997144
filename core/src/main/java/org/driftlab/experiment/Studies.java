package org.driftlab.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.driftlab.DriftlabException;

/** The registry of study kinds: {@code kind:} in a study file names one of these. */
public final class Studies {
    private Studies() {}

    private static final Map<String, Supplier<Study>> KINDS = new LinkedHashMap<>();

    static {
        // one line per study; keep sorted by kind
        register(org.driftlab.experiment.studies.BreakEvenStudy::new);
        register(org.driftlab.experiment.studies.CatapultStudy::new);
        register(org.driftlab.experiment.studies.CentralFlowStudy::new);
        register(org.driftlab.experiment.studies.ConvergedLossStudy::new);
        register(org.driftlab.experiment.studies.DalStudy::new);
        register(org.driftlab.experiment.studies.FisherPenaltyStudy::new);
        register(org.driftlab.experiment.studies.GameFlowsStudy::new);
        register(org.driftlab.experiment.studies.GameStabilityStudy::new);
        register(org.driftlab.experiment.studies.GanMogStudy::new);
        register(org.driftlab.experiment.studies.LangevinStudy::new);
        register(org.driftlab.experiment.studies.MinimalistStudy::new);
        register(org.driftlab.experiment.studies.MlpFlowsStudy::new);
        register(org.driftlab.experiment.studies.QuadraticFlowsStudy::new);
        register(org.driftlab.experiment.studies.SamStudy::new);
        register(org.driftlab.experiment.studies.SaneStudy::new);
        register(org.driftlab.experiment.studies.SgdEosStudy::new);
        register(org.driftlab.experiment.studies.SgdPickyStudy::new);
    }

    /** Adds a study kind (package-private: the catalogue is fixed at build time; tests add toy kinds). */
    static void register(Supplier<Study> s) {
        KINDS.put(s.get().kind(), s);
    }

    /** The study of a kind, or a clear error listing the kinds. */
    public static Study byKind(String kind) {
        Supplier<Study> s = KINDS.get(kind);
        if (s == null) {
            throw new DriftlabException("kind: '" + kind + "' is not a study; known kinds: train"
                    + (KINDS.isEmpty() ? "" : ", " + String.join(", ", KINDS.keySet())));
        }
        return s.get();
    }

    /** Every registered kind. */
    public static List<String> kinds() {
        return new ArrayList<>(KINDS.keySet());
    }
}
