package org.driftlab.autodiff;

import java.util.function.Supplier;

/**
 * Whether primitives record the graph on the current thread. Off while a first-order backward pass runs
 * without {@code createGraph}, so its arithmetic leaves no nodes behind; on by default.
 */
public final class GradMode {
    private static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> Boolean.TRUE);

    private GradMode() {}

    public static boolean isEnabled() {
        return ENABLED.get();
    }

    /** Runs body with recording switched on or off, restoring the previous mode afterwards. */
    public static <T> T with(boolean enabled, Supplier<T> body) {
        boolean prev = ENABLED.get();
        ENABLED.set(enabled);
        try {
            return body.get();
        } finally {
            ENABLED.set(prev);
        }
    }

    /** Runs body without recording: everything it computes is a constant. */
    public static <T> T noGrad(Supplier<T> body) {
        return with(false, body);
    }
}
