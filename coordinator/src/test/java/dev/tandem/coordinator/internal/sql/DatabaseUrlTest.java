package dev.tandem.coordinator.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DatabaseUrlTest {
    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
            "jdbc:postgresql://h:5432/db?user=u, jdbc:postgresql://h:5432/db?user=u, -, -",
            "postgres://u:p%40ss+1@h:5432/db?sslmode=require, jdbc:postgresql://h:5432/db?sslmode=require, u, p@ss+1",
            "postgresql://h/db, jdbc:postgresql://h/db, -, -",
            "mariadb://root:pw@127.0.0.1:3306/shop, jdbc:mariadb://127.0.0.1:3306/shop, root, pw",
            "MySQL://root:@[::1]:3306/shop, jdbc:mariadb://[::1]:3306/shop, root, ''",
            "mysql://a:b@c?x=1, jdbc:mariadb://c?x=1, a, b"})
    void otherToolsFormsBecomeJdbcUrls(String url, String jdbc, String user, String password) {
        assertThat(DatabaseUrl.of(url)).isEqualTo(new DatabaseUrl(jdbc, user, password));
    }
}
