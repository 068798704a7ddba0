package dev.flagway.spring.boot.autoconfigure.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a dual write promises inside a Spring application, checked for each persistence style of a
 * test application (a subclass) on a real database: the legacy and modern writes join the caller's
 * transaction (one transaction, not two), the modern part runs under a savepoint so that its failure
 * leaves the legacy write and the caller's work committed with the row recorded for repair (or, with
 * {@code write-policy=strict}, fails everything), and the caller's rollback ({@code @Transactional} or a
 * {@code TransactionTemplate}) takes both writes back.
 * Every user row is used by one test only. Subclasses name the database with {@link OnDatabase}.
 */
public abstract class DualWriteTransactionsContract {
    private static final AtomicLong NEXT_ROW = new AtomicLong();

    @Autowired
    private ApplicationContext context;
    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private Caller caller;
    @Autowired
    private TransactionIds transactionIds;
    @Autowired
    private TestTables tables;
    @Autowired
    private TransactionTemplate transactions;

    /**
     * One way the test application implements its repositories.
     *
     * @param name for the test report
     * @param repairing the interface routed by migration {@code users-email} (write-policy repair)
     * @param strict the interface routed by migration {@code strict-email} (write-policy strict)
     */
    public record Style(String name, Class<? extends UserEmails> repairing, Class<? extends UserEmails> strict) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Creates {@code tables} in the database the test class runs {@link OnDatabase on}; skips the class when it is unreachable. */
    protected static void createTables(TestTables tables, TestInfo test) throws SQLException {
        tables.create(test.getTestClass().orElseThrow().getAnnotation(OnDatabase.class).value());
    }

    private static long row() {
        long id = NEXT_ROW.incrementAndGet();
        if (id > TestTables.ROWS) {
            throw new IllegalStateException("more rows are used than TestTables creates");
        }
        return id;
    }

    @ParameterizedTest
    @MethodSource("styles")
    void legacyAndModernWritesCommitTogetherInATransactionOfTheirOwn(Style style) {
        long id = row();

        repairing(style).updateEmail(id, " New" + id + "@Example.com");

        assertThat(legacy(id)).isEqualTo(" New" + id + "@Example.com");
        assertThat(modern(id)).isEqualTo("new" + id + "@example.com");
        assertThat(repairs(id, "users-email")).isZero();
    }

    @ParameterizedTest
    @MethodSource("styles")
    void aFailedModernWriteLeavesTheLegacyWriteCommittedAndRecordsTheRowForRepair(Style style) {
        long id = row();

        repairing(style).updateEmail(id, TestTables.TOO_LONG);

        assertThat(legacy(id)).isEqualTo(TestTables.TOO_LONG);
        assertThat(modern(id)).as("the modern write was rolled back to its savepoint").isEqualTo("user" + id + "@example.com");
        assertThat(repairs(id, "users-email")).isOne();
        assertThat(repairing(style).email(id)).as("served from the legacy column").isEqualTo(TestTables.TOO_LONG);
    }

    @ParameterizedTest
    @MethodSource("styles")
    void insideTheCallersTransactionAFailedModernWriteKeepsTheCallersWorkAndTheLegacyWrite(Style style) {
        long id = row();

        caller.auditAndUpdate(repairing(style), id, TestTables.TOO_LONG);

        assertThat(audits(id)).isOne();
        assertThat(legacy(id)).isEqualTo(TestTables.TOO_LONG);
        assertThat(modern(id)).isEqualTo("user" + id + "@example.com");
        assertThat(repairs(id, "users-email")).isOne();
    }

    @ParameterizedTest
    @MethodSource("styles")
    void theCallerTheLegacyAndTheModernWriteShareOneDatabaseTransaction(Style style) {
        long id = row();

        transactionIds.start();
        List<String> ids;
        try {
            caller.auditAndUpdate(repairing(style), id, "Same" + id + "@Example.com");
        } finally {
            ids = transactionIds.stop();
        }

        assertThat(ids).as("caller, legacy, modern").hasSize(3).doesNotContainNull().containsOnly(ids.get(0));
        assertThat(modern(id)).isEqualTo("same" + id + "@example.com");
    }

    @ParameterizedTest
    @MethodSource("styles")
    void whenTheCallersTransactionRollsBackBothWritesRollBack(Style style) {
        long id = row();

        assertThatThrownBy(() -> caller.updateAndFail(repairing(style), id, "Gone" + id + "@Example.com"))
                .hasMessage("the caller fails after the write");

        assertThat(legacy(id)).isEqualTo(" User" + id + "@Example.COM ");
        assertThat(modern(id)).isEqualTo("user" + id + "@example.com");
    }

    @ParameterizedTest
    @MethodSource("styles")
    void aTransactionTemplateMarkedRollbackOnlyTakesBothWritesBack(Style style) {
        long id = row();

        transactions.executeWithoutResult(status -> {
            repairing(style).updateEmail(id, "Template" + id + "@Example.com");
            status.setRollbackOnly();
        });

        assertThat(legacy(id)).isEqualTo(" User" + id + "@Example.COM ");
        assertThat(modern(id)).isEqualTo("user" + id + "@example.com");
    }

    @ParameterizedTest
    @MethodSource("styles")
    void whenTheCallersTransactionRollsBackTheRepairRecordRollsBackToo(Style style) {
        long id = row();

        assertThatThrownBy(() -> caller.updateAndFail(repairing(style), id, TestTables.TOO_LONG))
                .hasMessage("the caller fails after the write");

        assertThat(legacy(id)).isEqualTo(" User" + id + "@Example.COM ");
        assertThat(repairs(id, "users-email")).isZero();
    }

    @ParameterizedTest
    @MethodSource("styles")
    void underTheStrictPolicyAFailedModernWriteFailsTheWholeWriteAndTheCallersWork(Style style) {
        long id = row();

        assertThatThrownBy(() -> caller.auditAndUpdate(strict(style), id, TestTables.TOO_LONG))
                .satisfies(e -> assertThat(NestedExceptionUtils.getMostSpecificCause(e).getMessage().toLowerCase(Locale.ROOT))
                        .containsAnyOf("too long", "data truncat"));

        assertThat(audits(id)).isZero();
        assertThat(legacy(id)).isEqualTo(" User" + id + "@Example.COM ");
        assertThat(modern(id)).isEqualTo("user" + id + "@example.com");
        assertThat(repairs(id, "strict-email")).isZero();
    }

    private UserEmails repairing(Style style) {
        return context.getBean(style.repairing());
    }

    private UserEmails strict(Style style) {
        return context.getBean(style.strict());
    }

    private String legacy(long id) {
        return jdbc.queryForObject("select email from " + tables.users() + " where id = ?", String.class, id);
    }

    private String modern(long id) {
        return jdbc.queryForObject("select email_normalized from " + tables.users() + " where id = ?", String.class, id);
    }

    private int audits(long id) {
        return jdbc.queryForObject("select count(*) from " + tables.audit() + " where user_id = ?", Integer.class, id);
    }

    private int repairs(long id, String migration) {
        return jdbc.queryForObject("select count(*) from flagway_repair where migration_id = ? and row_key = ?",
                Integer.class, migration, String.valueOf(id));
    }
}
