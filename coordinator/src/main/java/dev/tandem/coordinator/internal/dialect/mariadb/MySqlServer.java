package dev.tandem.coordinator.internal.dialect.mariadb;

import dev.tandem.state.DatabaseKind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A MariaDB or MySQL server as Tandem needs to know it, read once per session: which of the two it is and its
 * version (from {@code SELECT VERSION()}: MySQL's Connector/J reports MariaDB as {@code 5.5.5-10.11.6-MariaDB},
 * so the driver's product name cannot tell), how it compares table names ({@code lower_case_table_names}), and
 * the name of its isolation variable ({@code tx_isolation} before MariaDB 11.1, {@code transaction_isolation}
 * in MySQL 8 and MariaDB 11.1+).
 */
public record MySqlServer(boolean mariaDb, int major, int minor, int patch, String version, int lowerCaseTableNames,
                          String isolationVariable) {
    /** The "5.5.5-" prefix MariaDB sent old clients is optional; the MariaDB marker follows the version. */
    private static final Pattern VERSION = Pattern.compile("^(?:5\\.5\\.5-)?(\\d+)\\.(\\d+)\\.(\\d+)");

    public static boolean isMySqlFamily(Connection connection) throws SQLException {
        return DatabaseKind.of(connection).filter(kind -> kind == DatabaseKind.MARIADB).isPresent();
    }

    public static MySqlServer detect(Connection connection) throws SQLException {
        String version;
        int lowerCaseTableNames;
        String isolation;
        try (Statement s = connection.createStatement()) {
            try (ResultSet rows = s.executeQuery("SELECT VERSION(), @@lower_case_table_names")) {
                rows.next();
                version = rows.getString(1);
                lowerCaseTableNames = rows.getInt(2);
            }
            try (ResultSet rows = s.executeQuery("SHOW VARIABLES LIKE 'transaction_isolation'")) {
                isolation = rows.next() ? "transaction_isolation" : "tx_isolation";
            }
        }
        return parse(version, lowerCaseTableNames, isolation);
    }

    static MySqlServer parse(String version, int lowerCaseTableNames, String isolationVariable) {
        Matcher m = VERSION.matcher(version);
        if (!m.find()) {
            throw new IllegalArgumentException("unrecognized server version '" + version + "'");
        }
        return new MySqlServer(version.contains("MariaDB"), Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)), version, lowerCaseTableNames, isolationVariable);
    }

    public boolean atLeast(int wantedMajor, int wantedMinor, int wantedPatch) {
        if (major != wantedMajor) {
            return major > wantedMajor;
        }
        return minor != wantedMinor ? minor > wantedMinor : patch >= wantedPatch;
    }

    /**
     * Why Tandem cannot migrate on this server, or null when it can. The MariaDB dialect's statements need
     * MariaDB 10.5 (RENAME COLUMN IF EXISTS, instant DROP COLUMN, BEGIN NOT ATOMIC).
     */
    public String unsupportedReason() {
        if (mariaDb) {
            return atLeast(10, 5, 0) ? null : "MariaDB " + version + " is older than 10.5, which Tandem's statements need"
                    + " (RENAME COLUMN IF EXISTS, instant DROP COLUMN)";
        }
        return "MySQL " + version + " is not supported yet: Tandem's MariaDB statements use what MySQL lacks (ADD/DROP"
                + "/RENAME COLUMN IF [NOT] EXISTS, BEGIN NOT ATOMIC, ALGORITHM=NOCOPY); see"
                + " docs/mysql.md";
    }

    /** Whether table names differing only in case name the same table. */
    public boolean tableNamesIgnoreCase() {
        return lowerCaseTableNames != 0;
    }
}
