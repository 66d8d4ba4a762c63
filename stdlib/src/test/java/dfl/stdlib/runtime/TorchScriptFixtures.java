package dfl.stdlib.runtime;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dfl.plan.Schedule;
import dfl.plan.Shape;
import dfl.runtime.gmm.GaussianMixture;
import dfl.runtime.schedule.NoiseSchedule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The TorchScript test files made by stdlib/src/test/python/make_fixtures.py, and the facts they were made from
 * (the GMM and schedule below are the script's GMM and SCHEDULE; keep them in step).
 */
final class TorchScriptFixtures {

    private TorchScriptFixtures() {}

    /** diffusion(..., schedule = "linear", steps = 200, beta_end = 0.05): the GMM fixtures' schedule. */
    static final Schedule SCHEDULE = new Schedule("linear", 200, 1e-4, 0.05);

    /** The DFL text of {@link #SCHEDULE}'s options. */
    static final String SCHEDULE_ARGS = "schedule = \"linear\", steps = 200, beta_start = 0.0001, beta_end = 0.05";

    /** The clean prior of gmm_eps.pt, gmm_score.pt and gmm_energy.pt. */
    static final GaussianMixture GMM = new GaussianMixture(new double[] {0.3, 0.7},
            new double[][] {{-1.5, 0.5}, {1.0, -0.5}},
            new double[][][] {{{0.5, 0.2}, {0.2, 0.3}}, {{0.2, -0.05}, {-0.05, 0.4}}});

    /** The same prior as DFL source. */
    static final String GMM_DFL = "gmm(weights = [0.3, 0.7], means = [[-1.5, 0.5], [1.0, -0.5]], "
            + "covs = [[[0.5, 0.2], [0.2, 0.3]], [[0.2, -0.05], [-0.05, 0.4]]])";

    /** The covariance of gauss_vec_eps.pt: p(x | c) = N(c, VEC_COV). */
    static final double[][] VEC_COV = {{0.3, 0.1}, {0.1, 0.2}};

    /**
     * log w_k + log N(x; √ᾱ m_k, ᾱ C_k + (1 − ᾱ) I) for each component k of {@link #GMM} noised to ᾱ: the logits of
     * gmm_logits.pt (ᾱ = 1) and of gmm_noisy_logits.pt.
     */
    static double[] logits(double[] x, double alphaBar) {
        return logits(alphaBar).apply(x);
    }

    /** {@link #logits(double[], double)} as a function of x, the noised components computed once. */
    static java.util.function.Function<double[], double[]> logits(double alphaBar) {
        int c = GMM.components();
        List<ToDoubleFunction<double[]>> noised = new ArrayList<>();
        for (int k = 0; k < c; k++) noised.add(component(k).noised(alphaBar).logDensityFunction());
        return x -> {
            double[] out = new double[c];
            for (int k = 0; k < c; k++) out[k] = Math.log(GMM.weights()[k]) + noised.get(k).applyAsDouble(x);
            return out;
        };
    }

    /** Component k of {@link #GMM} alone: what gmm_cond_eps.pt is given label k. */
    static GaussianMixture component(int k) {
        return new GaussianMixture(new double[] {1.0}, new double[][] {GMM.means()[k]}, new double[][][] {GMM.covariances()[k]});
    }

    static NoiseSchedule schedule() {
        return NoiseSchedule.of(SCHEDULE);
    }

    /**
     * The fixture file {@code name} as an absolute path. From another module's tests the fixtures come from stdlib's
     * test jar; they are then copied out once into a temporary folder, under their own names.
     */
    static Path path(String name) {
        var url = TorchScriptFixtures.class.getResource("/dfl/stdlib/torchscript/" + name);
        if (url == null) throw new IllegalStateException("missing test fixture " + name + " (run make_fixtures.py)");
        try {
            if (!url.getProtocol().equals("jar")) return Path.of(url.toURI());
            Path copy = extracted().resolve(name);
            if (!Files.exists(copy)) {
                try (var in = url.openStream()) {
                    Files.copy(in, copy);
                }
            }
            return copy;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path extractedDir;

    private static synchronized Path extracted() throws IOException {
        if (extractedDir == null) {
            extractedDir = Files.createTempDirectory("dfl-torchscript-fixtures");
            extractedDir.toFile().deleteOnExit();
        }
        return extractedDir;
    }

    static TorchScriptPrior load(String name, String parameterization, Shape shape) {
        return TorchScriptPrior.load(path(name), name, parameterization, shape, schedule());
    }

    /** One section ("eps" or "energy") of mlp_reference.json. */
    static JsonObject reference(String section) {
        try {
            return JsonParser.parseString(Files.readString(path("mlp_reference.json"))).getAsJsonObject().getAsJsonObject(section);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double[] doubles(JsonObject o, String key) {
        JsonArray a = o.getAsJsonArray(key);
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) v[i] = a.get(i).getAsDouble();
        return v;
    }

    static float[] floats(JsonObject o, String key) {
        double[] d = doubles(o, key);
        float[] f = new float[d.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) d[i];
        return f;
    }
}
