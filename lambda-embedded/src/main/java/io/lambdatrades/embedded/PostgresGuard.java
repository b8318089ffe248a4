package io.lambdatrades.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Stops the embedded PostgreSQL when the process that started it is gone. The server runs in a
 * session of its own (pg_ctl daemonises it), so a kill -9 of its owner, or of the owner's whole
 * process group, leaves it running with nobody to stop it. The guard is a shell loop in a session of
 * its own too, that checks every second that both are alive, and sends the server a fast shutdown
 * (SIGINT) once its owner has gone; it ends with the server.
 */
final class PostgresGuard
{
    private static final Logger log = LoggerFactory.getLogger(PostgresGuard.class);
    // A zombie owner (dead, not yet reaped) counts as gone.
    private static final String SCRIPT = """
            alive() { [ -r /proc/$1/stat ] && read -r _ _ state _ < /proc/$1/stat && [ "$state" != Z ]; }
            while alive "$1" && alive "$2"; do sleep 1; done
            alive "$2" && kill -INT "$2"
            """;

    private PostgresGuard() {}

    /** @return the guard, or empty where it cannot run (no setsid or /proc): the next start still stops an orphan */
    static Optional<Process> start(long ownerPid, long serverPid)
    {
        try {
            Process guard = new ProcessBuilder(List.of("setsid", "sh", "-c", SCRIPT, "lambda-postgres-guard", Long.toString(ownerPid), Long.toString(serverPid)))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return Optional.of(guard);
        }
        catch (IOException e) {
            log.warn("No guard for PostgreSQL (pid {}): it keeps running if this process is killed, until the next start on its directory: {}", serverPid,
                    e.getMessage());
            return Optional.empty();
        }
    }
}
