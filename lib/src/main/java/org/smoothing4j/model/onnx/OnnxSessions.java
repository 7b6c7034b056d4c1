package org.smoothing4j.model.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Opening an ONNX Runtime session, in one place for every ONNX model kind here (classifier, noise predictor, input
 * gradient, image map): the session options, the message of a model ONNX Runtime cannot load, and closing a session
 * whose model then fails its kind's checks (a session holds native memory until closed).
 */
final class OnnxSessions {
    private OnnxSessions() {
    }

    /** What a model kind checks on an opened session; it builds the model or throws, naming what it found. */
    interface Check<T> {
        T apply(OrtEnvironment env, OrtSession session) throws IOException, OrtException;
    }

    /** Opens the model file with {@code intraOpThreads} operator threads and runs {@code check} on it (see below). */
    static <T> T open(Path file, int intraOpThreads, Check<T> check) throws IOException {
        return open((env, options) -> env.createSession(file.toString(), options), file.toString(), intraOpThreads,
                check);
    }

    /** The same for a model given as bytes; {@code name} stands for it in messages. */
    static <T> T open(byte[] model, String name, int intraOpThreads, Check<T> check) throws IOException {
        return open((env, options) -> env.createSession(model, options), name, intraOpThreads, check);
    }

    private interface Opener {
        OrtSession create(OrtEnvironment env, OrtSession.SessionOptions options) throws OrtException;
    }

    /**
     * A model that does not load is refused as "NAME: not a loadable ONNX model (first line of ONNX Runtime's
     * error)"; a session whose check fails is closed before the check's error goes on.
     */
    private static <T> T open(Opener opener, String name, int intraOpThreads, Check<T> check) throws IOException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions options = options(intraOpThreads)) {
            session = opener.create(env, options);
        } catch (OrtException e) {
            throw new IOException(name + ": not a loadable ONNX model (" + firstLine(e) + ")", e);
        }
        try {
            return check.apply(env, session);
        } catch (OrtException e) {
            closeQuietly(session);
            throw new IOException(name + ": ONNX Runtime cannot read the model (" + firstLine(e) + ")", e);
        } catch (IOException | RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    /** One call's options: {@code intraOpThreads} operator threads, sequential execution, every graph optimisation. */
    static OrtSession.SessionOptions options(int intraOpThreads) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(intraOpThreads);
        options.setInterOpNumThreads(1);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        return options;
    }

    static void closeQuietly(OrtSession s) {
        try {
            s.close();
        } catch (OrtException e) {
            // closing a session that failed its checks: nothing to report beyond the check's error
        }
    }

    /** The first line of an error's message (ONNX Runtime's run to many lines), at most 200 characters. */
    static String firstLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        m = m.lines().findFirst().orElse(m);
        return m.length() > 200 ? m.substring(0, 197) + "..." : m;
    }
}
