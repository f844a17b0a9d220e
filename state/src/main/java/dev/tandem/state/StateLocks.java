package dev.tandem.state;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The keys of Tandem's locks, which every module that takes one must agree on. On PostgreSQL, advisory locks of
 * two keys, the first {@link #POSTGRES_CLASS}; on MariaDB, named locks ({@code GET_LOCK}) and the row of the
 * one-row {@code layout} table.
 */
public final class StateLocks {
    /** First key of Tandem's advisory locks on PostgreSQL ('tand'). */
    public static final int POSTGRES_CLASS = 0x74616e64;
    /** Second key of the transaction lock that creates and upgrades the state tables. */
    public static final int POSTGRES_INSTALL = 0;
    /**
     * Second key of the instance registry's lock: shared while an application instance checks the phase and
     * registers, exclusive while contract (rollback) looks for live instances and sets its phase.
     */
    public static final int POSTGRES_REGISTRY = 1;

    private StateLocks() {
    }

    /**
     * What identifies the run lock of {@code targetSchema}: on PostgreSQL the text whose {@code hashtext} is the
     * advisory lock's second key.
     */
    public static String runKey(String stateSchema, String targetSchema) {
        return stateSchema + "/" + targetSchema;
    }

    /** The run lock's name on MariaDB: names are global to the server and at most 64 characters, so a hash. */
    public static String mariaDbRunLock(String stateSchema, String targetSchema) {
        return "tandem/" + hash(runKey(stateSchema, targetSchema));
    }

    /** The name of the lock that serializes creating and upgrading the state tables on MariaDB. */
    public static String mariaDbInstallLock(String stateSchema) {
        return "tandem-install/" + hash(stateSchema);
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
