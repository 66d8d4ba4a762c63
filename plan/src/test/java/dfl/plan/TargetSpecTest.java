package dfl.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.source.Span;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one fold from a composition tree to the target the runtime builds, with the trees it refuses. */
class TargetSpecTest {

    private static final ModelRef GMM = new ModelRef.Gmm(List.of(1.0), List.of(List.of(0.0)), List.of(List.of(List.of(1.0))));

    private static Density.Diffusion prior(String name) {
        return new Density.Diffusion(name, GMM, Schedule.DEFAULT, Span.NONE);
    }

    private static Density.Factor factor(String name) {
        return new Density.Factor(name, new FactorRef.Classifier("c", 1, 1.0), Span.NONE);
    }

    private static Density product(Density... terms) {
        return new Density.Product(List.of(terms), Span.NONE);
    }

    private static Density power(Density base, double exponent) {
        return new Density.Power(base, exponent, Span.NONE);
    }

    private static Density mixture(Density... components) {
        return new Density.Mixture(List.of(components), List.of(1.0, 3.0), Span.NONE);
    }

    @Test
    void onePriorTimesPoweredFactorsIsOnePrior() {
        TargetSpec t = TargetSpec.of(product(prior("p"), power(factor("c"), 2.0), factor("d")));
        TargetSpec.OnePrior one = (TargetSpec.OnePrior) t;
        assertEquals("p", one.prior().name());
        assertEquals(List.of(2.0, 1.0), one.factors().stream().map(TargetSpec.PoweredFactor::exponent).toList());
        assertEquals(new TargetSpec.Node.Leaf(0), t.tree());
        assertTrue(TargetSpec.of(prior("p")) instanceof TargetSpec.OnePrior);
    }

    @Test
    void aPowerOfThePriorOrTwoPriorsAreAComposition() {
        assertTrue(TargetSpec.of(power(prior("p"), 2.0)) instanceof TargetSpec.Composed);
        TargetSpec t = TargetSpec.of(product(prior("p"), prior("q"), prior("p")));
        assertEquals(List.of("p", "q"), t.priors().stream().map(Density.Diffusion::name).toList());
        assertEquals(new TargetSpec.Node.Prod(List.of(new TargetSpec.Node.Leaf(0), new TargetSpec.Node.Leaf(1),
                new TargetSpec.Node.Leaf(0))), t.tree());
    }

    @Test
    void factorsUnderAPowerCarryTheProductOfTheExponents() {
        TargetSpec t = TargetSpec.of(power(product(mixture(prior("p"), prior("q")), power(factor("c"), 3.0)), 0.5));
        assertEquals(1.5, t.factors().get(0).exponent());
        TargetSpec.Node.Pow pow = (TargetSpec.Node.Pow) t.tree();
        TargetSpec.Node.Mix mix = (TargetSpec.Node.Mix) pow.base();
        assertEquals(Math.log(0.25), mix.logWeights().get(0), 1e-15);
        assertTrue(t.tree().hasMixture());
    }

    @Test
    void treesTheRuntimeCannotBuildAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> TargetSpec.of(factor("c")));
        assertThrows(IllegalArgumentException.class, () -> TargetSpec.of(mixture(prior("p"), product(prior("q"), factor("c")))));
    }
}
