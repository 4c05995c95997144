package org.driftlab.sweep;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One member of a sweep: its position, its directory name and the value each axis gives it.
 *
 * @param index position in sweep order (0-based); rows of {@code sweep.csv} are in this order
 * @param id the directory name under {@code members/}, readable and unique within the sweep, e.g.
 *     {@code lr=0.04,seed=1}
 * @param values axis key → value, in axis order
 */
public record Member(int index, String id, Map<String, Object> values) {
    /** Immutable copy keeping the axis order. */
    public Member {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
