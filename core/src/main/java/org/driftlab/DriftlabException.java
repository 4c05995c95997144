package org.driftlab;

/**
 * A user-facing error: bad input, a corrupt file, an unknown option, a diverging run. The CLI prints its
 * message (one readable line, no stack trace) and exits with a non-zero code. Programming errors use the
 * standard unchecked exceptions instead.
 */
public class DriftlabException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DriftlabException(String message) {
        super(message);
    }

    public DriftlabException(String message, Throwable cause) {
        super(message, cause);
    }
}
