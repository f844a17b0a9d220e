package dev.tandem.coordinator.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConstraintKindTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void snapshotsKeepPostgresOneLetterCodes() throws Exception {
        String stored = "{\"name\":\"orders_customer_fk\",\"kind\":\"f\",\"columns\":[\"customer_id\"],"
                + "\"definition\":\"FOREIGN KEY (customer_id) REFERENCES customers(id)\","
                + "\"referencedTable\":\"customers\"}";
        CatalogSnapshot.Constraint constraint = JSON.readValue(stored, CatalogSnapshot.Constraint.class);

        assertThat(constraint.kind()).isEqualTo(ConstraintKind.FOREIGN_KEY);
        assertThat(constraint.columns()).isEqualTo(List.of("customer_id"));
        assertThat(JSON.writeValueAsString(constraint)).isEqualTo(stored);
    }

    @Test
    void everyKindReadsBackFromItsCode() {
        for (ConstraintKind kind : ConstraintKind.values()) {
            assertThat(ConstraintKind.of(kind.code())).isSameAs(kind);
        }
        assertThat(ConstraintKind.of("u")).isEqualTo(ConstraintKind.UNIQUE);
        assertThat(ConstraintKind.of("p")).isEqualTo(ConstraintKind.PRIMARY_KEY);
    }
}
