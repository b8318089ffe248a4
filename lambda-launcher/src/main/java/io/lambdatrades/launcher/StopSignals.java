package io.lambdatrades.launcher;

import sun.misc.Signal;

/**
 * Ctrl-C and SIGTERM become an orderly stop that the command finishes itself (exit code 0), instead
 * of the JVM's default of running shutdown hooks and exiting with 130 or 143.
 */
final class StopSignals
{
    private StopSignals() {}

    static void onStop(Runnable stop)
    {
        Signal.handle(new Signal("INT"), signal -> stop.run());
        Signal.handle(new Signal("TERM"), signal -> stop.run());
    }
}
