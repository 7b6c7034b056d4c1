package org.smoothing4j.io;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Folders for results keyed by their full settings: the same settings give the same folder (so a rerun resumes
 * and reuses what is there), any changed setting gives another (so a stale result is never reused).
 */
public final class Cache {
    private Cache() {}

    /** {@code root/<name>-<first 12 hex digits of SHA-256 of the settings as JSON>}. */
    public static Path folder(Path root, String name, Map<String, ?> settings) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Json.write(settings).getBytes(StandardCharsets.UTF_8));
            return root.resolve(name + "-" + HexFormat.of().formatHex(digest).substring(0, 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
