package dev.tandem.coordinator.internal.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.coordinator.internal.schema.CatalogSnapshot;
import dev.tandem.coordinator.state.MigrationRecord;
import dev.tandem.coordinator.state.Phase;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The catalog snapshot as the state tables keep it, read by Tandems older and newer than the one that wrote it. */
class StoredSnapshotTest {
    private static final CatalogSnapshot.Column ID = new CatalogSnapshot.Column("id", "bigint", false, null, true, true);

    @Test
    void triggersAndForeignUsersAreStoredOnlyWhereThereAreAny() {
        String plain = Run.json(new CatalogSnapshot("shop", List.of(table(List.of(), List.of())), List.of()));
        assertThat(plain).doesNotContain("triggers").doesNotContain("foreignUsers");
        CatalogSnapshot.Table audited = table(List.of("items_audit"), List.of("other.lines.lines_item_fk"));
        assertThat(read(Run.json(new CatalogSnapshot("shop", List.of(audited), List.of()))).tables())
                .containsExactly(audited);
    }

    @Test
    void fieldsOfALaterVersionAreIgnoredAndMissingOnesAreEmpty() {
        String later = Run.json(new CatalogSnapshot("shop", List.of(table(List.of(), List.of())), List.of()))
                .replace("\"name\":\"items\"", "\"name\":\"items\",\"partitions\":[\"p0\"]");
        assertThat(read(later).tables().get(0).triggers()).isEmpty();
        assertThat(read(later).tables().get(0).foreignUsers()).isEmpty();
    }

    private static CatalogSnapshot.Table table(List<String> triggers, List<String> foreignUsers) {
        return new CatalogSnapshot.Table("items", List.of(ID), List.of("id"), List.of(), triggers, foreignUsers);
    }

    private static CatalogSnapshot read(String json) {
        return Run.snapshot(new MigrationRecord("shop", "m", "m.yaml", "x", Phase.EXPANDED, "", json, "shop__m", null,
                null, null));
    }
}
