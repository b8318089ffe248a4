package io.lambdatrades.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Port choice for servers bound to the loopback address. */
public final class Ports
{
    private Ports() {}

    /**
     * The port to use for a setting: a free one when 0, else the configured one, which must be free.
     *
     * @throws PortInUseException naming the setting when the configured port is taken
     */
    public static int choose(int configured, String settingKey)
    {
        if (configured == 0) {
            return free();
        }
        if (!isFree(configured)) {
            throw new PortInUseException("port " + configured + " on 127.0.0.1 is in use (" + settingKey + "): stop what uses it or choose another port");
        }
        return configured;
    }

    public static int free()
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
        }
    }

    public static boolean isFree(int port)
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
