package dev.tandem.coordinator.internal.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecretsTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "jdbc:postgresql://h:5432/db?user=u&password=s3cret&ssl=true | jdbc:postgresql://h:5432/db?user=u&password=<masked>&ssl=true",
            "jdbc:mariadb://address=(host=h)(port=3306)(password=s3cret)/db | jdbc:mariadb://address=(host=h)(port=3306)(password=<masked>)/db",
            "jdbc:mariadb://root:s3cret@127.0.0.1:3306/db | jdbc:mariadb://root:<masked>@127.0.0.1:3306/db",
            "postgres://u:s3cret@h:5432/db | postgres://u:<masked>@h:5432/db",
            "jdbc:sqlserver://h;user=u;PWD=s3cret;db=x | jdbc:sqlserver://h;user=u;PWD=<masked>;db=x",
            "{\"message\":\"url jdbc:postgresql://h/db?password=s3cret\"} | {\"message\":\"url jdbc:postgresql://h/db?password=<masked>\"}"})
    void everyUrlFormLosesItsPassword(String text, String masked) {
        assertThat(Secrets.mask(text)).isEqualTo(masked);
        assertThat(Secrets.in(text)).contains("s3cret");
    }

    @Test
    void knownSecretsAreMaskedWhereverTheyStand() {
        List<String> secrets = Secrets.in("jdbc:mariadb://root:p%40ss@127.0.0.1:3306/db");

        assertThat(Secrets.mask("Incorrect port value : p%40ss@127.0.0.1", secrets))
                .isEqualTo("Incorrect port value : <masked>@127.0.0.1");
        assertThat(Secrets.mask("denied for p@ss", secrets)).isEqualTo("denied for <masked>");
        assertThat(Secrets.mask("{\"m\":\"pw is a\\\"b\"}", List.of("a\"b"))).isEqualTo("{\"m\":\"pw is <masked>\"}");
        assertThat(Secrets.in("jdbc:postgresql://h/db?user=u")).isEmpty();
        assertThat(Secrets.mask("url x?password=a b\nnext line\n")).isEqualTo("url x?password=<masked>\nnext line\n");
    }
}
