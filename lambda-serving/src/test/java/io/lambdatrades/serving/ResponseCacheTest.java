package io.lambdatrades.serving;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResponseCacheTest
{
    @Test
    void anAnswerIsReusedUntilTheDataChangesAndItIsOldEnough()
            throws Exception
    {
        AtomicLong version = new AtomicLong();
        ResponseCache cache = new ResponseCache(version::get, 0, 60_000);
        AtomicInteger loads = new AtomicInteger();
        ResponseCache.Loader loader = () -> new byte[] {(byte) loads.incrementAndGet()};

        assertThat(cache.get("k", loader)).containsExactly(1);
        assertThat(cache.get("k", loader)).containsExactly(1);
        version.incrementAndGet();
        assertThat(cache.get("k", loader)).containsExactly(2);
        assertThat(cache.get("other", loader)).containsExactly(3);
    }

    @Test
    void oneRequestRecomputesAKeyWhileTheOthersWaitForItsAnswer()
            throws Exception
    {
        ResponseCache cache = new ResponseCache(() -> 0, 0, 60_000);
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        ResponseCache.Loader slow = () -> {
            loads.incrementAndGet();
            release.await(10, TimeUnit.SECONDS);
            return new byte[] {42};
        };
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            java.util.List<Future<byte[]>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(threads.submit(() -> cache.get("k", slow)));
            }
            Thread.sleep(200);
            release.countDown();
            for (Future<byte[]> answer : answers) {
                assertThat(answer.get(10, TimeUnit.SECONDS)).containsExactly(42);
            }
            assertThat(loads.get()).isEqualTo(1);
        }
        finally {
            threads.shutdownNow();
        }
    }

    @Test
    void uncachedEveryRequestLoads()
            throws Exception
    {
        ResponseCache cache = ResponseCache.uncached();
        AtomicInteger loads = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            cache.get("k", () -> new byte[] {(byte) loads.incrementAndGet()});
        }
        assertThat(loads).hasValue(3);
    }

    @Test
    void aFailedLoadIsRethrownAndNotKept()
    {
        ResponseCache cache = new ResponseCache(() -> 0, 0, 60_000);
        assertThatThrownBy(() -> cache.get("k", () -> {
            throw new java.sql.SQLException("down");
        })).hasMessage("down");
        assertThat(assertDoesNotThrowGet(cache)).containsExactly(7);
    }

    private static byte[] assertDoesNotThrowGet(ResponseCache cache)
    {
        try {
            return cache.get("k", () -> new byte[] {7});
        }
        catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
