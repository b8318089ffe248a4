package io.lambdatrades.launcher;

import sun.misc.Signal;

/**
 * Ctrl-C and SIGTERM become an orderly stop that the command finishes itself (exit code 0), instead
 * of the JVM's default of running shutdown hooks and exiting with 130 or 143. A layer that {@code up}
 * started stops on SIGTERM only: it ignores the Ctrl-C that reaches its terminal's whole process
 * group ({@link ParentWatch}), since {@code up} stops its layers itself, in order.
 */
public final class StopSignals
{
    private StopSignals() {}

    public static void onStop(Runnable stop)
    {
        if (System.getenv(ParentWatch.ENV) == null) {
            Signal.handle(new Signal("INT"), signal -> stop.run());
        }
        Signal.handle(new Signal("TERM"), signal -> stop.run());
    }
}
