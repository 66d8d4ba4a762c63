package dfl.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SuggestTest {

    @Test
    void distanceCountsSwapsAsOneEdit() {
        assertEquals(0, Suggest.distance("prior", "prior"));
        assertEquals(1, Suggest.distance("prior", "piror"));
        assertEquals(1, Suggest.distance("prior", "prio"));
        assertEquals(2, Suggest.distance("kitten", "sittin"));
        assertEquals(1, Suggest.distance("σ", "γ"));
    }

    @Test
    void closestWithinThreshold() {
        List<String> names = List.of("prior", "classifier", "σ", "γ", "observe", "G");
        assertEquals(Optional.of("prior"), Suggest.closest("piror", names));
        assertEquals(Optional.of("classifier"), Suggest.closest("clasifer", names));
        assertEquals(Optional.empty(), Suggest.closest("xyz", names));
        assertEquals(Optional.empty(), Suggest.closest("y", names), "a one-letter name is not 'corrected' into another");
        assertEquals(Optional.of("σ"), Suggest.closest("sigma", names));
        assertEquals(Optional.of("γ"), Suggest.closest("Gamma", names));
        assertEquals(Optional.empty(), Suggest.closest("prior", List.of("prior")), "the name itself is no suggestion");
        assertEquals(Optional.of("Did you mean 'prior'?"), Suggest.didYouMean("prio", names));
    }

    @Test
    void tiesResolveIndependentlyOfOrder() {
        assertEquals(Optional.of("Prior"), Suggest.closest("prior", Set.of("Prior", "prioR2", "pride")));
        assertEquals(Suggest.closest("abcd", List.of("abce", "abcf")), Suggest.closest("abcd", List.of("abcf", "abce")));
        assertEquals(Optional.of("abce"), Suggest.closest("abcd", List.of("abcf", "abce")));
    }
}
