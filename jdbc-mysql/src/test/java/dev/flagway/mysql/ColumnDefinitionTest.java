package dev.flagway.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ColumnDefinitionTest {

    @Test
    void makingAColumnNotNullDropsItsNullDefaultAndKeepsEverythingElse() {
        assertThat(ColumnDefinition.withNullability("varchar(320) DEFAULT NULL", true)).isEqualTo("varchar(320) NOT NULL");
        assertThat(ColumnDefinition.withNullability("timestamp NULL DEFAULT NULL", true)).isEqualTo("timestamp NOT NULL");
        assertThat(ColumnDefinition.withNullability("varchar(10) COLLATE utf8mb4_bin DEFAULT 'NULL' COMMENT 'not NULL'", true))
                .isEqualTo("varchar(10) COLLATE utf8mb4_bin DEFAULT 'NULL' COMMENT 'not NULL' NOT NULL");
    }

    @Test
    void makingAColumnNullableKeepsItsDefault() {
        assertThat(ColumnDefinition.withNullability("int(11) NOT NULL DEFAULT 0", false)).isEqualTo("int(11) DEFAULT 0 NULL");
        assertThat(ColumnDefinition.withNullability("int(11) GENERATED ALWAYS AS (ifnull(`a`, NULL)) VIRTUAL", false))
                .isEqualTo("int(11) GENERATED ALWAYS AS (ifnull(`a`, NULL)) VIRTUAL NULL");
    }

    @Test
    void quotedStringsAndParenthesesStayWhole() {
        assertThat(ColumnDefinition.tokens("enum('a b','it''s') DEFAULT 'a b' COMMENT 'x \\' NOT NULL'"))
                .containsExactly("enum('a b','it''s')", "DEFAULT", "'a b'", "COMMENT", "'x \\' NOT NULL'");
    }
}
