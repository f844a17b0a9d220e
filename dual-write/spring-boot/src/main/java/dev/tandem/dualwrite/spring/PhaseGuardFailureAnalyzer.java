package dev.tandem.dualwrite.spring;

import dev.tandem.dualwrite.PhaseGuardException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Shows the guard's message, which says what the database offers and what to do, instead of a stack trace. */
public final class PhaseGuardFailureAnalyzer extends AbstractFailureAnalyzer<PhaseGuardException> {
    static final String ACTION = "Deploy the build for a version the database offers, or change the database as "
            + "the description says; `migrate status` shows where its migrations stand.";

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, PhaseGuardException cause) {
        return new FailureAnalysis(cause.getMessage(), ACTION, cause);
    }
}
