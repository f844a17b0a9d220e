package dev.tandem.coordinator.internal.files;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** A YAML syntax error in one line, where the YAML parser's own message takes six to nine with carets. */
public final class YamlSyntax {
    private YamlSyntax() {
    }

    /**
     * {@code line L, column C: problem (context at line L, column C)}; null when {@code failure} is no YAML syntax
     * error.
     */
    public static String describe(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
                String context = marked.getContext() == null ? ""
                        : " (" + marked.getContext() + (marked.getContextMark() == null ? ""
                        : " at " + where(marked.getContextMark())) + ")";
                return where(marked.getProblemMark()) + ": " + marked.getProblem() + context;
            }
        }
        return null;
    }

    private static String where(Mark mark) {
        return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    }
}
