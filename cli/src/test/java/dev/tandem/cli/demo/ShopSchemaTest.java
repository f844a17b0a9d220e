package dev.tandem.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShopSchemaTest {
    @Test
    void splitsAtSemicolonsThatEndALineAndDropsCommentLines() {
        assertThat(ShopSchema.split("-- a comment; not a statement\nCREATE TABLE t (\n  a text DEFAULT 'x;y'\n);\n"
                + "  -- indented comment\nINSERT INTO t VALUES ('1');  \nSELECT 1"))
                .containsExactly("CREATE TABLE t (\n  a text DEFAULT 'x;y'\n)", "INSERT INTO t VALUES ('1')", "SELECT 1");
    }

    @Test
    void readsTheShopFromTheClassPath() {
        assertThat(ShopSchema.statements()).hasSize(9)
                .first().asString().startsWith("CREATE TABLE customers (");
    }
}
