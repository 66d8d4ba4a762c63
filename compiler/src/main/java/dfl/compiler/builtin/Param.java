package dfl.compiler.builtin;

/**
 * One declared parameter of a built-in: its name, what it expects (for messages, e.g.
 * "a positive integer"), and whether it may be left out.
 */
public record Param(String name, String expects, boolean required) {

    public static Param required(String name, String expects) {
        return new Param(name, expects, true);
    }

    public static Param optional(String name, String expects) {
        return new Param(name, expects, false);
    }

    /** How the parameter is shown in signatures: {@code name} or {@code name?}. */
    public String display() {
        return required ? name : name + "?";
    }
}
