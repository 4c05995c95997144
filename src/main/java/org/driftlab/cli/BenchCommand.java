package org.driftlab.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder replaced below in this same commit series. */
@Command(name = "bench", description = "Time loss+gradient, HVP and GEMM.")
final class BenchCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new org.driftlab.DriftlabException("bench: not built yet");
    }
}
