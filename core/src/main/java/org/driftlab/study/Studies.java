package org.driftlab.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.driftlab.DriftlabException;

/**
 * The study kinds on the class path: every {@link Study} registered in {@code META-INF/services/org.driftlab.study.Study}
 * (the studies of {@code org.driftlab.studies}, and any a user's jar adds). The framework names none of them.
 */
public final class Studies {
    private Studies() {}

    /** Kind → study, sorted by kind; loaded once (services on the class path do not change). */
    private static final class Holder {
        static final Map<String, Study<?>> KINDS = load();

        private static Map<String, Study<?>> load() {
            Map<String, Study<?>> m = new TreeMap<>();
            for (Study<?> s : ServiceLoader.load(Study.class, Studies.class.getClassLoader())) {
                Study<?> old = m.put(s.kind(), s);
                if (old != null) {
                    throw new IllegalStateException("study kind " + s.kind() + " is registered twice: "
                            + old.getClass().getName() + " and " + s.getClass().getName());
                }
            }
            return m;
        }
    }

    /** The study of a kind, or a clear error listing the kinds. */
    public static Study<?> byKind(String kind) {
        Study<?> s = Holder.KINDS.get(kind);
        if (s == null) {
            throw new DriftlabException("kind: '" + kind + "' is not a study; known kinds: train"
                    + (Holder.KINDS.isEmpty() ? "" : ", " + String.join(", ", Holder.KINDS.keySet())));
        }
        return s;
    }

    /** Every registered kind, sorted. */
    public static List<String> kinds() {
        return new ArrayList<>(Holder.KINDS.keySet());
    }
}
