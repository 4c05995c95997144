package org.driftlab.data;

import java.util.Arrays;

/**
 * The number of classes K of integer class labels, the one rule every reader applies. With K declared (a fixed
 * data set, or the source option {@code classes=K}) every label must lie in 0..K−1. Without it K is inferred as
 * max + 1, and then every class 0..K−1 must have at least one example in the file: a stray label (200 among labels
 * 0..9, 10^9 in an .npz) would otherwise silently build an output layer of 201 or 10^9 units. Either error says how
 * to declare K when the gap is meant.
 */
final class Labels {
    private Labels() {}

    /**
     * Checks labels and returns K.
     *
     * @param y        the labels of every example in the file
     * @param declared K when known, else 0 to infer it
     * @param source   the file or data set, for messages
     * @return K
     */
    static int classes(int[] y, int declared, String source) {
        if (declared > 0) {
            for (int i = 0; i < y.length; i++) {
                if (y[i] < 0 || y[i] >= declared) {
                    throw new DataFormatException(source + ": label out of range: example " + i + " has label " + y[i]
                            + ", expected 0.." + (declared - 1) + " (" + declared + " classes)");
                }
            }
            return declared;
        }
        for (int i = 0; i < y.length; i++) {
            if (y[i] < 0) {
                throw new DataFormatException(source + ": label out of range: example " + i + " has label " + y[i]
                        + ", expected a class id 0, 1, 2, ...");
            }
        }
        // Sorting a copy rather than marking classes seen: a label of 10^9 must not allocate 10^9 flags.
        int[] sorted = y.clone();
        Arrays.sort(sorted);
        int expect = 0;
        for (int v : sorted) {
            if (v > expect) {
                int at = first(y, v);
                String missing = "class" + (v - 1 > expect ? "es " + expect + ".." + (v - 1) : " " + expect);
                String after = expect == 0 ? "the smallest label is " + v : "labels skip from " + (expect - 1) + " to " + v;
                throw new DataFormatException(source + ": " + after + " (example " + at + "), so " + missing
                        + " would have no examples; labels must be the classes 0..K-1, or declare K with the data source "
                        + "option classes=K (here at least " + (sorted[sorted.length - 1] + 1L) + ")");
            }
            if (v == expect) {
                expect++;
            }
        }
        return expect;
    }

    private static int first(int[] y, int v) {
        for (int i = 0; i < y.length; i++) {
            if (y[i] == v) {
                return i;
            }
        }
        return -1;
    }
}
