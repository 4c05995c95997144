package org.driftlab.data;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs each test as on a machine without the optional data packages: the Fashion-MNIST and MNIST directories
 * ({@link FashionMnist#DIR_PROPERTY}, {@code driftlab.mnist_dir}) point at a directory that does not exist, so
 * Fashion-MNIST comes from the subset embedded in the jar and MNIST is missing. The previous values are restored
 * after each test. Use with {@code @ExtendWith(HideInstalledData.class)}; the test suite runs its classes one at a
 * time, so the system properties are not seen by another test meanwhile.
 */
public final class HideInstalledData implements BeforeEachCallback, AfterEachCallback {
    /** The properties hidden, each of which names a data directory. */
    public static final String[] PROPERTIES = {FashionMnist.DIR_PROPERTY, "driftlab.mnist_dir"};
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(HideInstalledData.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        Map<String, String> before = new HashMap<>();
        Path nowhere = Path.of(System.getProperty("java.io.tmpdir"), "driftlab-no-installed-data-" + ProcessHandle.current().pid());
        for (String p : PROPERTIES) {
            before.put(p, System.getProperty(p));
            System.setProperty(p, nowhere.toString());
        }
        context.getStore(NS).put("before", before);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        @SuppressWarnings("unchecked")
        Map<String, String> before = (Map<String, String>) context.getStore(NS).remove("before");
        for (String p : PROPERTIES) {
            String v = before.get(p);
            if (v == null) {
                System.clearProperty(p);
            } else {
                System.setProperty(p, v);
            }
        }
    }
}
