package dev.tandem.coordinator.internal.operation;

/**
 * One kind of change {@link AlterColumn} makes to a column, as pgroll splits alter_column into set_not_null,
 * set_check, set_unique, set_foreign_key, set_default...: each adds its own statements to each phase of the
 * {@link AlteredColumn}. Those that the old version could trip over act on the shadow column, which
 * {@link AlterColumn} adds at expand and puts in the original's place at contract.
 */
interface ColumnChange {

    /** At expand, once the shadow (if any) is added. */
    default void expand(AlteredColumn column, PhaseContext context) {
    }

    /** Before contract's transaction: the validation of what expand added NOT VALID. */
    default void validate(AlteredColumn column, PhaseContext context) {
    }

    /** In contract's transaction, before the original (if shadowed) is dropped. */
    default void beforeDrop(AlteredColumn column, PhaseContext context) {
    }

    /** In contract's transaction, once the shadow (if any) has taken the original's place and name. */
    default void contract(AlteredColumn column, PhaseContext context) {
    }

    /** At rollback, before the shadow (if any) is dropped. */
    default void rollback(AlteredColumn column, PhaseContext context) {
    }
}
