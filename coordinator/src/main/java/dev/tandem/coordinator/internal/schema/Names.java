package dev.tandem.coordinator.internal.schema;

import dev.tandem.coordinator.internal.sql.Identifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Names Tandem makes for objects of its own; always within the 63-byte identifier limit. */
public final class Names {
    private static final String NOT_NULL_CHECK = "_tandem_nn_";

    private Names() {
    }

    /** {@code name}, or when too long, a prefix of it and a hash of the whole so it stays unique. */
    public static String bounded(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= Identifier.MAX_BYTES) {
            return name;
        }
        String hash = HexFormat.of().formatHex(sha256(bytes)).substring(0, 8);
        return name.substring(0, Identifier.MAX_BYTES - 9) + "_" + hash;
    }

    public static String notNullCheck(String table, String column) {
        return bounded(NOT_NULL_CHECK + table + "_" + column);
    }

    public static String check(String table, String column) {
        return bounded(table + "_" + column + "_check");
    }

    public static String unique(String table, String column) {
        return bounded(table + "_" + column + "_key");
    }

    public static String foreignKey(String table, String column) {
        return bounded(table + "_" + column + "_fkey");
    }

    public static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
