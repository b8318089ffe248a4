package io.lambdatrades.launcher;

import java.io.PrintStream;

import static java.util.Objects.requireNonNull;

/**
 * What a long-running command prints for people. On a terminal the progress line is rewritten in
 * place; elsewhere (a log file, a test) every progress line is a line of its own.
 */
public final class Console
{
    private final PrintStream out;
    private final boolean terminal;
    private boolean progressShown;

    public Console(PrintStream out, boolean terminal)
    {
        this.out = requireNonNull(out, "out is null");
        this.terminal = terminal;
    }

    public synchronized void line(String text)
    {
        if (progressShown && terminal) {
            out.print("\r\033[K");
        }
        progressShown = false;
        out.println(text);
        out.flush();
    }

    public synchronized void progress(String text)
    {
        if (terminal) {
            out.print("\r\033[K" + text);
            progressShown = true;
        }
        else {
            out.println(text);
        }
        out.flush();
    }

    public boolean terminal()
    {
        return terminal;
    }
}
