package io.lambdatrades.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ports on the loopback address for the servers of one start, never the same one twice. A free port
 * is found by binding port 0 and releasing it, so until its server binds it the kernel may hand it out
 * again: two servers starting side by side (Kafka's two listeners, PostgreSQL beside Kafka) must share
 * one allocator, which remembers what it gave.
 */
public final class PortAllocator
{
    private static final int MAX_PROBES = 100;

    private final Set<Integer> handedOut = ConcurrentHashMap.newKeySet();

    /**
     * The port to use for a setting: a free one when 0, else the configured one, which must be free.
     *
     * @throws PortInUseException naming the setting when the configured port is taken
     */
    public int choose(int configured, String settingKey)
    {
        if (configured == 0) {
            return free();
        }
        if (!isFree(configured) || !handedOut.add(configured)) {
            throw new PortInUseException("port " + configured + " on 127.0.0.1 is in use (" + settingKey + "): stop what uses it or choose another port");
        }
        return configured;
    }

    /** A port free now and not handed out before by this allocator. */
    public int free()
    {
        for (int probe = 0; probe < MAX_PROBES; probe++) {
            int port = probe();
            if (handedOut.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("cannot find a free port on 127.0.0.1 in " + MAX_PROBES + " probes");
    }

    private static int probe()
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
        }
    }

    private static boolean isFree(int port)
    {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        }
        catch (IOException e) {
            return false;
        }
    }
}
