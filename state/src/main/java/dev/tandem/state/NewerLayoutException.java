package dev.tandem.state;

/** The state tables were written by a newer Tandem, whose layout this one does not know. */
public final class NewerLayoutException extends RuntimeException {
    public NewerLayoutException(StateSchema schema, int found) {
        super("the state " + schema.kind().schemaNoun() + " '" + schema.name() + "' was written by a newer Tandem"
                + " (layout " + found + ", this one knows " + StateSchema.LAYOUT + "); upgrade Tandem");
    }
}
