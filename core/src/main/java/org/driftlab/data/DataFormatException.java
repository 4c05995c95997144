package org.driftlab.data;

import org.driftlab.DriftlabException;

/**
 * A data file that cannot be used as it is: bad magic number, truncated or oversized content, wrong dimensions, a
 * label out of range, non-numeric CSV cells. The message names the file and what is wrong, in one line.
 */
public class DataFormatException extends DriftlabException {
    private static final long serialVersionUID = 1L;

    public DataFormatException(String message) {
        super(message);
    }

    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
