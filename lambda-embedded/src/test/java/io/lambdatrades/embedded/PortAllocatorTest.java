package io.lambdatrades.embedded;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PortAllocatorTest
{
    // Enough probes that the kernel hands a released port out again: without the allocator's memory this fails.
    private static final int PROBES = 2_000;

    @Test
    void neverHandsOutAPortTwiceWhileNoneIsBound()
    {
        PortAllocator ports = new PortAllocator();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < PROBES; i++) {
            int port = ports.free();
            assertThat(seen.add(port)).as("port %d handed out a second time, after %d others", port, i).isTrue();
        }
    }

    @Test
    void serversStartingSideBySideGetDistinctPorts()
            throws Exception
    {
        PortAllocator ports = new PortAllocator();
        ExecutorService starts = Executors.newFixedThreadPool(4);
        try {
            Callable<List<Integer>> start = () -> IntStream.range(0, PROBES / 4).mapToObj(i -> ports.free()).toList();
            List<Integer> all = new ArrayList<>();
            for (Future<List<Integer>> chosen : starts.invokeAll(List.of(start, start, start, start))) {
                all.addAll(chosen.get());
            }
            assertThat(all).hasSize(PROBES).doesNotHaveDuplicates();
        }
        finally {
            starts.shutdownNow();
        }
    }

    @Test
    void aConfiguredPortIsKeptWhenFree()
    {
        int port = new PortAllocator().free();
        assertThat(new PortAllocator().choose(port, "postgres.port")).isEqualTo(port);
    }

    @Test
    void aConfiguredPortThatAServerHoldsIsInUse()
            throws IOException
    {
        try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> new PortAllocator().choose(held.getLocalPort(), "kafka.port"))
                    .isInstanceOf(PortInUseException.class)
                    .hasMessage("port " + held.getLocalPort() + " on 127.0.0.1 is in use (kafka.port): stop what uses it or choose another port");
        }
    }

    @Test
    void aConfiguredPortAlreadyHandedOutIsInUse()
    {
        PortAllocator ports = new PortAllocator();
        int chosen = ports.free();
        assertThatThrownBy(() -> ports.choose(chosen, "metastore.port"))
                .isInstanceOf(PortInUseException.class)
                .hasMessageContaining("(metastore.port)");
    }
}
