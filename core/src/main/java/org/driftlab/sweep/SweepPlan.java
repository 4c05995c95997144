package org.driftlab.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.driftlab.DriftlabException;
import org.driftlab.experiment.SpecLoader;

/**
 * A sweep ready to run: the base spec, the axes, and every member's spec, each validated before anything is
 * written. Built from a spec tree as {@code SpecLoader} reads it (quick: and --set already applied):
 * <ul>
 *   <li>the {@code sweep:} section gives the axes ({@link SweepSpec});</li>
 *   <li>a training spec's lists {@code lrs:} and {@code seeds:} are axes too, {@code optimizer.lr} and {@code seed},
 *       placed first in that order (the order of the old lrs × seeds sub-runs); a list of one value is simply the
 *       value. A study's {@code seeds:} belong to the study (it aggregates over them) and stay in its spec;</li>
 *   <li>an axis whose key the command line set ({@code --set optimizer.lr=0.05}) is dropped: a single override
 *       wins over an axis, as it does over {@code lrs:}.</li>
 * </ul>
 * Each member's spec is the base tree with the member's axis values set, validated by the experiment layer; an
 * unknown key or a value of the wrong type is reported with the axis and member that produced it.
 *
 * @param base the spec tree without {@code sweep:}, {@code lrs:} and {@code seeds:} (for training specs)
 * @param spec the axes
 * @param members the members in sweep order
 * @param memberSpecs the validated spec of each member, by member index
 * @param quick whether the spec's quick: overrides were applied (studies size their work by it)
 */
public record SweepPlan(Map<String, Object> base, SweepSpec spec, List<Member> members, List<MemberSpec> memberSpecs,
                        boolean quick) {
    /** Immutable copies. */
    public SweepPlan {
        base = java.util.Collections.unmodifiableMap(Trees.copy(base));
        members = List.copyOf(members);
        memberSpecs = List.copyOf(memberSpecs);
    }

    /** True when a spec tree describes a sweep: a {@code sweep:} section, or a training spec's lrs/seeds lists of 2+. */
    public static boolean isSweep(Map<String, Object> tree) {
        if (tree.get("sweep") != null) {
            return true;
        }
        if (MemberSpec.isStudy(tree)) {
            return false;
        }
        return listSize(tree.get("lrs")) > 1 || listSize(tree.get("seeds")) > 1;
    }

    private static int listSize(Object o) {
        return o instanceof List<?> l ? l.size() : 0;
    }

    /**
     * Plans a sweep from a spec tree.
     *
     * @param tree the spec tree (not changed)
     * @param setKeys keys given by --set: axes over them are dropped
     * @param limit the largest number of members accepted ({@link SweepSpec#DEFAULT_LIMIT} unless --allow-large)
     */
    public static SweepPlan of(Map<String, Object> tree, Set<String> setKeys, int limit, boolean quick) {
        Map<String, Object> base = Trees.copy(tree);
        SweepSpec spec = SweepSpec.parse(base.remove("sweep"));
        if (!MemberSpec.isStudy(base)) {
            List<List<Axis>> leading = new ArrayList<>();
            legacy(base, "lrs", "optimizer.lr", spec, leading);
            legacy(base, "seeds", "seed", spec, leading);
            spec = spec.withLeading(leading);
        }
        spec = spec.without(setKeys);
        List<Member> members = spec.members(limit);
        List<MemberSpec> specs = new ArrayList<>(members.size());
        for (Member m : members) {
            try {
                specs.add(MemberSpec.validate(memberTree(base, m), quick));
            } catch (DriftlabException e) {
                // the experiment layer's message names the key; say which member's axis values led there
                throw new DriftlabException((m.values().isEmpty() ? "" : "sweep member " + m.id() + ": ") + e.getMessage(), e);
            }
        }
        return new SweepPlan(base, spec, members, specs, quick);
    }

    /** Turns a top-level list (lrs, seeds) into a leading axis over key, or into the key's value if it has one. */
    private static void legacy(Map<String, Object> base, String list, String key, SweepSpec spec,
                               List<List<Axis>> leading) {
        Object v = base.remove(list);
        if (v == null) {
            return;
        }
        if (spec.has(key)) {
            throw new DriftlabException(list + ": the sweep has an axis " + key + " too; give the values in one place");
        }
        List<?> values = v instanceof List<?> l ? l : List.of(v);
        if (values.isEmpty()) {
            throw new DriftlabException(list + ": the list is empty");
        }
        if (values.size() == 1) {
            SpecLoader.set(base, key, values.get(0));
        } else {
            leading.add(List.of(new Axis(key, new ArrayList<>(values))));
        }
    }

    /** The base tree with the member's axis values set. */
    public static Map<String, Object> memberTree(Map<String, Object> base, Member m) {
        Map<String, Object> t = Trees.copy(base);
        for (Map.Entry<String, Object> e : m.values().entrySet()) {
            SpecLoader.set(t, e.getKey(), Trees.copyValue(e.getValue()));
        }
        return t;
    }

    /** The largest thread count of a member (the local engine splits the cores by it). */
    public int maxThreads() {
        return memberSpecs.stream().mapToInt(MemberSpec::threads).max().orElse(1);
    }

    /** What sweep.yaml holds: the base spec with the normalised sweep section (ranges written out). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>(Trees.copy(base));
        if (!spec.factors().isEmpty()) {
            m.put("sweep", spec.toMap());
        }
        return m;
    }
}
