package org.driftlab.studies;

import org.driftlab.experiment.Param;
import org.driftlab.experiment.Spec;

/**
 * A classifier a study trains and tests: its network, training data and loss ({@link NetworkParams}, cross-entropy by
 * default) and the held-out data its test accuracy is measured on; the one declaration of these keys for the studies
 * that compare test accuracies. Inlined like {@link NetworkParams}: the keys {@code model}, {@code data}, {@code loss},
 * {@code test_data} sit flat in the study's {@code params:}.
 */
public record ClassifierParams(
        @Param(value = "{loss: ce}", doc = "the network, its data and loss") NetworkParams network,
        @Param(value = "fashion-mnist:test:1000:standardize", doc = "held-out data source") String testData) {
    /** A training spec of this network, data and loss with the test data, to be completed by the study. */
    public Spec.Builder spec(String name) {
        return network.spec(name).testData(testData);
    }

    /** The same with other training data (e.g. the data with some labels flipped). */
    public Spec.Builder spec(String name, String data) {
        return Spec.builder(name).network(network.model(), data, network.loss()).testData(testData);
    }
}
