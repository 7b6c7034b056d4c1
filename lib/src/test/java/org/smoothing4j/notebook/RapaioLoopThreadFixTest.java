package org.smoothing4j.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replacement of rapaio-jupyter-kernel's LoopThread (environment/rapaio-fix, put on the kernelspec's class path
 * by setup-notebooks), compiled here from its source: a started loop runs even when its thread is scheduled at once
 * (the kernel's own class could end before its first turn: 14 of 100 kernel starts hung), and an exception of the
 * loop body (a message that arrives before the kernel's handlers exist) does not end the loop.
 */
class RapaioLoopThreadFixTest {
    private static final String SOURCE = "environment/rapaio-fix/org/rapaio/jupyter/kernel/channels/LoopThread.java";

    private static Constructor<?> compile(Path dir) throws Exception {
        Path source = Path.of("..").resolve(SOURCE);
        if (!Files.exists(source)) {
            source = Path.of(SOURCE);
        }
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", dir.toString(),
                source.toString()), "javac " + source);
        URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null);
        return loader.loadClass("org.rapaio.jupyter.kernel.channels.LoopThread")
                .getConstructor(String.class, long.class, Runnable.class);
    }

    @Test
    void everyStartedLoopRunsAndSurvivesAThrowingBody(@TempDir Path dir) throws Exception {
        Constructor<?> loop = compile(dir);
        for (int i = 0; i < 200; i++) {  // the kernel's class ended before its first turn in ~1 of 20 starts
            CountDownLatch ran = new CountDownLatch(1);
            Thread t = (Thread) loop.newInstance("t" + i, 1L, (Runnable) ran::countDown);
            t.start();
            assertTrue(ran.await(10, TimeUnit.SECONDS), "loop " + i + " never ran its body");
            t.getClass().getMethod("shutdown").invoke(t);
            t.join(10_000);
        }
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch third = new CountDownLatch(3);
        Thread t = (Thread) loop.newInstance("throwing", 1L, (Runnable) () -> {
            third.countDown();
            if (calls.incrementAndGet() == 1) {
                throw new NullPointerException("handlers is null (a message before the kernel's handlers exist)");
            }
        });
        t.start();
        assertTrue(third.await(10, TimeUnit.SECONDS), "the loop ended with its body's exception");
        t.getClass().getMethod("shutdown").invoke(t);
        t.join(10_000);
        assertTrue(!t.isAlive(), "shutdown did not end the loop");
    }
}
