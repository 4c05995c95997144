package org.driftlab.data;

import org.driftlab.DriftlabException;

/**
 * A data file that cannot be used as it is: bad magic number, truncated or oversized content, wrong dimensions, a
 * label out of range, non-numeric CSV cells. The message names the file and what is wrong, in one line.
 */
public class DataFormatException extends DriftlabException {
    private static final long serialVersionUID = 1L;

    /** @param message one line naming the file and what is wrong with it */
    public DataFormatException(String message) {
        super(message);
    }

    /**
     * @param message one line naming the file and what is wrong with it
     * @param cause   the parser's or the file system's exception
     */
    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
