package dfl.runtime.gmm;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dfl.plan.Schedule;
import dfl.plan.Shape;
import dfl.runtime.TestPlans;
import dfl.runtime.schedule.NoiseSchedule;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GmmDiffusionTest {

    private final NoiseSchedule schedule = NoiseSchedule.of(Schedule.DEFAULT);

    @Test
    void scoreMatchesFiniteDifferencesOfEnergyWithFullCovariances() {
        GaussianMixture g = TestPlans.randomMixture(5, 3, 11);
        GmmDiffusion model = new GmmDiffusion(g, schedule, Shape.of(5));
        SplittableRandom r = new SplittableRandom(3);
        int k = 4, d = 5;
        double h = 1e-5;
        for (int t : new int[] {0, 50, 300, 999}) {
            double[] x = new double[k * d];
            for (int i = 0; i < x.length; i++) x[i] = 1.5 * r.nextGaussian();
            try (NDManager m = NDManager.newBaseManager()) {
                double[] score = model.score(m.create(x, new ai.djl.ndarray.types.Shape(k, d)), t).toDoubleArray();
                double worst = 0;
                for (int j = 0; j < d; j++) {
                    double[] xp = x.clone(), xm = x.clone();
                    for (int p = 0; p < k; p++) {
                        xp[p * d + j] += h;
                        xm[p * d + j] -= h;
                    }
                    double[] ep = model.energy(m.create(xp, new ai.djl.ndarray.types.Shape(k, d)), t).toDoubleArray();
                    double[] em = model.energy(m.create(xm, new ai.djl.ndarray.types.Shape(k, d)), t).toDoubleArray();
                    for (int p = 0; p < k; p++) {
                        double fd = -(ep[p] - em[p]) / (2 * h);
                        worst = Math.max(worst, Math.abs(fd - score[p * d + j]) / (1 + Math.abs(fd)));
                    }
                }
                assertTrue(worst < 1e-6, "t=" + t + " relative error " + worst);
            }
        }
    }

    @Test
    void energyIsTheExactNoisedLogDensity() {
        GaussianMixture g = TestPlans.randomMixture(3, 2, 5);
        GmmDiffusion model = new GmmDiffusion(g, schedule, Shape.of(3));
        double[] x = {0.3, -1.2, 0.7, 2.0, 0.1, -0.4};
        try (NDManager m = NDManager.newBaseManager()) {
            double[] e = model.energy(m.create(x, new ai.djl.ndarray.types.Shape(2, 3)), 400).toDoubleArray();
            GaussianMixture noised = g.noised(schedule.alphaBar(400));
            assertEquals(-noised.logDensity(new double[] {0.3, -1.2, 0.7}), e[0], 1e-10);
            assertEquals(-noised.logDensity(new double[] {2.0, 0.1, -0.4}), e[1], 1e-10);
        }
    }

    @Test
    void marginalAtTheLastStepIsCloseToStandardNormal() {
        GaussianMixture g = TestPlans.posterior2dPrior();
        GmmDiffusion model = new GmmDiffusion(g, schedule, Shape.of(2));
        double[] x = {0, 0, 1.5, -0.5, -2, 1};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray xa = m.create(x, new ai.djl.ndarray.types.Shape(3, 2));
            double[] s = model.score(xa, 999).toDoubleArray();
            double[] e = model.energy(xa, 999).toDoubleArray();
            for (int i = 0; i < x.length; i++) assertEquals(-x[i], s[i], 0.02, "score of N(0, I) is −x");
            for (int p = 0; p < 3; p++) {
                double ref = 0.5 * (x[2 * p] * x[2 * p] + x[2 * p + 1] * x[2 * p + 1]) + Math.log(2 * Math.PI);
                assertEquals(ref, e[p], 0.02);
            }
            // and the noise prediction relation ε = −√(1−ᾱ) s
            double[] eps = model.eps(xa, 999).toDoubleArray();
            for (int i = 0; i < x.length; i++) assertEquals(-Math.sqrt(1 - schedule.alphaBar(999)) * s[i], eps[i], 1e-12);
        }
    }

    @Test
    void mixtureMomentsAndValidation() {
        GaussianMixture g = TestPlans.posterior2dPrior();
        assertArrayEquals(new double[] {0.8, 0.7}, g.mean(), 1e-12);
        assertEquals(3.61, g.covariance()[0][0], 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new GmmDiffusion(g, schedule, Shape.of(3)));
    }
}
