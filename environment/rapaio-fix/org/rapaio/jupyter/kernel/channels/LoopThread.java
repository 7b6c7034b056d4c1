package org.rapaio.jupyter.kernel.channels;

/**
 * smoothing4j's replacement for rapaio-jupyter-kernel 3.0.1's class of this name (same constructor and methods), put
 * before the kernel's jar on the kernel's class path by environment/setup-notebooks.
 * <p>
 * Why: the kernel's own LoopThread sets its {@code running} flag after {@code super.start()}, so a thread that is
 * scheduled at once reads {@code running == false}, leaves its loop and ends. The channel it served (shell, control
 * or heartbeat) is then dead although the kernel process lives: Jupyter waits for a kernel_info reply that never
 * comes ("Kernel didn't respond"), or sees no heartbeat ("Kernel died before replying"). Thread dumps of hung starts
 * (environment/kernel-starts) show exactly the missing loop threads. Here the flag is set before the thread starts.
 * <p>
 * A second race, seen once that one was gone (1 start in 15): the shell channel's thread starts polling when its
 * socket is bound, but the kernel fills its table of message handlers only after every channel is bound; a
 * kernel_info request that arrives in between makes the loop body throw (NullPointerException in
 * {@code Channels.getHandler}), which ended the thread. Here an exception thrown by the loop body is printed to
 * the kernel's standard error and the loop goes on: that request is lost, and Jupyter, which repeats kernel_info
 * every second until it gets a reply, gets one from the next.
 */
public final class LoopThread extends Thread {
    private volatile boolean running;
    private final long pauseMillis;
    private final Runnable body;

    public LoopThread(String name, long pauseMillis, Runnable body) {
        super(name);
        this.pauseMillis = pauseMillis;
        this.body = body;
    }

    @Override
    public synchronized void start() {
        running = true;
        super.start();
    }

    @Override
    public void run() {
        while (running) {
            try {
                body.run();
            } catch (RuntimeException e) {
                System.err.println(getName() + ": " + e + " (smoothing4j's LoopThread: the loop goes on)");
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                running = false;
                return;
            }
        }
    }

    public void shutdown() {
        running = false;
    }
}
