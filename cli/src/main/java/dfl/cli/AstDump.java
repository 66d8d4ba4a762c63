package dfl.cli;

import dfl.ast.Node;
import dfl.source.Span;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Optional;

/** {@code --dump ast}: the syntax tree, one node per line with its span, indented by depth. */
final class AstDump {

    private AstDump() {}

    static String dump(Node root) {
        StringBuilder sb = new StringBuilder();
        node(sb, root, 0, "");
        return sb.toString();
    }

    private static void node(StringBuilder sb, Object value, int depth, String label) {
        String pad = "  ".repeat(depth) + (label.isEmpty() ? "" : label + ": ");
        if (value instanceof Optional<?> o) {
            if (o.isPresent()) node(sb, o.get(), depth, label);
            return;
        }
        if (value instanceof List<?> list) {
            for (Object item : list) node(sb, item, depth, label);
            return;
        }
        if (!(value instanceof Record r)) {
            sb.append(pad).append(value).append('\n');
            return;
        }
        StringBuilder scalars = new StringBuilder();
        Span span = null;
        RecordComponent[] comps = r.getClass().getRecordComponents();
        for (RecordComponent c : comps) {
            Object v = get(c, r);
            if (v instanceof Span s) span = s;
            else if (!(v instanceof Record || v instanceof List<?> || v instanceof Optional<?>)) scalars.append(' ').append(c.getName()).append('=').append(quote(v));
        }
        sb.append(pad).append(r.getClass().getSimpleName()).append(scalars);
        if (span != null && span.isKnown()) sb.append("  @").append(span);
        sb.append('\n');
        for (RecordComponent c : comps) {
            Object v = get(c, r);
            if (v instanceof Record && !(v instanceof Span) || v instanceof List<?> || v instanceof Optional<?>) node(sb, v, depth + 1, c.getName());
        }
    }

    private static String quote(Object v) {
        return v instanceof String s ? '"' + s + '"' : String.valueOf(v);
    }

    private static Object get(RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
