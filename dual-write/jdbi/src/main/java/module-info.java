/** DualWriter and the phase guard for applications on Jdbi (an automatic module with a stable name). */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.tandem.dualwrite.jdbi {
    requires transitive dev.tandem.dualwrite;
    requires transitive org.jdbi.v3.core;

    exports dev.tandem.dualwrite.jdbi;
}
