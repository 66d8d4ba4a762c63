package dfl.diag;

/** How serious a diagnostic is: errors stop compilation, warnings do not. */
public enum Severity {
    ERROR, WARNING;

    /** The word printed in front of the code, e.g. {@code Error[DFL-E0107]}. */
    public String label() {
        return this == ERROR ? "Error" : "Warning";
    }
}
