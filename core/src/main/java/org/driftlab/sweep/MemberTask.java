package org.driftlab.sweep;

import java.io.Serializable;

/**
 * What an engine hands to wherever a member runs: everything needed to run it, as plain serialisable values (a
 * Spark task carries it to an executor). The member directory is an absolute path; on a cluster it must be on a
 * file system every executor sees.
 *
 * @param index the member's position in the sweep
 * @param id the member's ID (its directory name)
 * @param spec the member's validated spec
 * @param dir absolute path of the member's run directory
 * @param quick whether the spec's quick: overrides were applied (a study sizes its work by it)
 */
public record MemberTask(int index, String id, MemberSpec spec, String dir, boolean quick) implements Serializable {
    private static final long serialVersionUID = 1L;
}
