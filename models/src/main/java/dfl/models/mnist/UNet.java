package dfl.models.mnist;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Arrays;
import java.util.Properties;

/**
 * Small U-Net noise-prediction model ε̂(x_t, t) or, class-conditional, ε̂(x_t, t, c) for 28x28
 * single-channel images.
 *
 * <p>Inputs: {@code NDList(x_t [B,1,28,28], t [B])}, t a float (or integer) diffusion step in
 * {@code [0, T)}; a conditional network ({@link Config#classes()} &gt; 0) takes a third input, the
 * labels {@code c [B]} (integer or float values in {@code 0..classes}, where {@code classes} is the
 * null label: "no condition"), and without it uses the null label. Output: ε̂ {@code [B,1,28,28]}.
 * Layout: widths w0/w1/w2 at 28/14/7 pixels, one residual block per level on each path, two in the middle, skip connections by channel
 * concatenation, stride-2 convolutions down; up: a 3x3 convolution at the coarse resolution to
 * the finer level's width, then nearest-neighbour 2x upsampling (the engine has no transposed
 * convolution; convolving before upsampling costs a quarter of the reverse order). Residual
 * blocks: GroupNorm → GELU → conv, plus the projected time embedding, GroupNorm → GELU → conv,
 * with a 1x1 skip when widths differ. The time embedding is sinusoidal (DDPM/Transformer style)
 * followed by a two-layer GELU MLP. GELU replaces SiLU for speed (see {@code Nn.act}). A conditional
 * network adds a learned label embedding (one row per label, {@code classes + 1} rows with the null
 * label, initialised to zero) to the output of that MLP, so every residual block sees t and c.
 */
public final class UNet extends FunctionalBlock {
    /** Name of the label-embedding parameter ({@code [classes + 1, tembDim]}) of a conditional network. */
    static final String LABEL_EMBEDDING = "label.emb";

    /**
     * Architecture hyper-parameters; stored next to the weights so the loader rebuilds the same
     * network.
     *
     * @param w0 channels at 28x28
     * @param w1 channels at 14x14
     * @param w2 channels at 7x7
     * @param groups GroupNorm groups (must divide every width and every concatenation)
     * @param sinDim sinusoidal embedding size (even)
     * @param tembDim time-embedding MLP width
     * @param classes number of class labels of a conditional network (its embedding has one more
     *     row, the null label {@code classes}); 0 for an unconditional network
     */
    public record Config(int w0, int w1, int w2, int groups, int sinDim, int tembDim, int classes) {
        /** Checks the class count. */
        public Config {
            if (classes < 0) {
                throw new IllegalArgumentException("classes must be >= 0, got " + classes);
            }
        }

        /** An unconditional network ({@code classes = 0}). */
        public Config(int w0, int w1, int w2, int groups, int sinDim, int tembDim) {
            this(w0, w1, w2, groups, sinDim, tembDim, 0);
        }

        /** The same architecture with {@code n} class labels (0: unconditional). */
        public Config withClasses(int n) {
            return new Config(w0, w1, w2, groups, sinDim, tembDim, n);
        }

        /** @return whether the network takes labels */
        public boolean conditional() {
            return classes > 0;
        }

        /**
         * The shipped model's architecture: widths 16/32/64. Compute is dominated by the 28x28 and
         * 14x14 levels, so narrow fine levels with a wider 7x7 level trained ~2.7x more steps per
         * CPU-hour than 32/64/64 (measured on the shared 2-core machine), which matters more for
         * sample quality in a short training budget than width at full resolution.
         */
        public static Config standard() {
            return new Config(16, 32, 64, 8, 32, 128);
        }

        /** Writes the fields as {@code unet.*} properties. */
        public void store(Properties p) {
            p.setProperty("unet.widths", w0 + "," + w1 + "," + w2);
            p.setProperty("unet.groups", Integer.toString(groups));
            p.setProperty("unet.sin_dim", Integer.toString(sinDim));
            p.setProperty("unet.temb_dim", Integer.toString(tembDim));
            if (classes > 0) {
                p.setProperty("unet.classes", Integer.toString(classes));
            }
        }

        /** Reads the fields written by {@link #store}; without {@code unet.classes} the network is unconditional. */
        public static Config load(Properties p) {
            int[] w = Arrays.stream(req(p, "unet.widths").split(",")).map(String::trim)
                    .mapToInt(Integer::parseInt).toArray();
            if (w.length != 3) {
                throw new IllegalArgumentException("unet.widths needs 3 values, got " + w.length);
            }
            return new Config(w[0], w[1], w[2], Integer.parseInt(req(p, "unet.groups")),
                    Integer.parseInt(req(p, "unet.sin_dim")), Integer.parseInt(req(p, "unet.temb_dim")),
                    Integer.parseInt(p.getProperty("unet.classes", "0").trim()));
        }

        private static String req(Properties p, String key) {
            String v = p.getProperty(key);
            if (v == null) {
                throw new IllegalArgumentException("missing model property " + key);
            }
            return v;
        }
    }

    private final Config cfg;
    private final Parameter inW;
    private final Parameter inB;
    private final Parameter t1W;
    private final Parameter t1B;
    private final Parameter t2W;
    private final Parameter t2B;
    private final ResBlock d0;
    private final Parameter down0W;
    private final Parameter down0B;
    private final ResBlock d1;
    private final Parameter down1W;
    private final Parameter down1B;
    private final ResBlock d2;
    private final ResBlock mid1;
    private final ResBlock mid2;
    private final ResBlock u2;
    private final Parameter up1W;
    private final Parameter up1B;
    private final ResBlock u1;
    private final Parameter up0W;
    private final Parameter up0B;
    private final ResBlock u0;
    private final Parameter outG;
    private final Parameter outBeta;
    private final Parameter outW;
    private final Parameter outB;
    private final Parameter labelEmb;

    /**
     * Builds an uninitialised network; call {@code initialize(manager, FLOAT32, inputShapes())}.
     *
     * @param cfg architecture
     */
    public UNet(Config cfg) {
        this.cfg = cfg;
        if (cfg.sinDim() % 2 != 0) {
            throw new IllegalArgumentException("sinDim must be even");
        }
        int w0 = cfg.w0();
        int w1 = cfg.w1();
        int w2 = cfg.w2();
        int td = cfg.tembDim();
        inW = weight("in.w", w0, 1, 3, 3);
        inB = bias("in.b", w0);
        t1W = weight("temb1.w", td, cfg.sinDim());
        t1B = bias("temb1.b", td);
        t2W = weight("temb2.w", td, td);
        t2B = bias("temb2.b", td);
        d0 = new ResBlock(this, "d0", w0, w0);
        down0W = weight("down0.w", w0, w0, 3, 3);
        down0B = bias("down0.b", w0);
        d1 = new ResBlock(this, "d1", w0, w1);
        down1W = weight("down1.w", w1, w1, 3, 3);
        down1B = bias("down1.b", w1);
        d2 = new ResBlock(this, "d2", w1, w2);
        mid1 = new ResBlock(this, "mid1", w2, w2);
        mid2 = new ResBlock(this, "mid2", w2, w2);
        u2 = new ResBlock(this, "u2", w2 + w2, w2);
        up1W = weight("up1.w", w1, w2, 3, 3);
        up1B = bias("up1.b", w1);
        u1 = new ResBlock(this, "u1", w1 + w1, w1);
        up0W = weight("up0.w", w0, w1, 3, 3);
        up0B = bias("up0.b", w0);
        u0 = new ResBlock(this, "u0", w0 + w0, w0);
        outG = gamma("out.gn.g", w0);
        outBeta = beta("out.gn.b", w0);
        outW = weight("out.w", 1, w0, 3, 3);
        outB = bias("out.b", 1);
        // registered last, so the parameters before it are those of the unconditional network, in its order
        labelEmb = cfg.conditional() ? zeros(LABEL_EMBEDDING, cfg.classes() + 1L, td) : null;
    }

    /** @return the architecture */
    public Config config() {
        return cfg;
    }

    /** Input shapes for {@code initialize} with batch size {@code b}. */
    public static Shape[] inputShapes(int b) {
        return new Shape[] {new Shape(b, 1, 28, 28), new Shape(b)};
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray t = inputs.get(1);
        if (t.getDataType() != x.getDataType()) {
            t = t.toType(x.getDataType(), false);
        }
        NDArray temb = timeEmbedding(ps, t, x, training);
        if (labelEmb != null) {
            temb = temb.add(labelEmbedding(ps, inputs.size() > 2 ? inputs.get(2) : null, x, training));
        }

        NDArray h = Nn.conv3(x, v(ps, inW, x, training), v(ps, inB, x, training), 1);
        NDArray s0 = d0.forward(ps, h, temb, training);
        h = Nn.conv3(s0, v(ps, down0W, x, training), v(ps, down0B, x, training), 2);
        NDArray s1 = d1.forward(ps, h, temb, training);
        h = Nn.conv3(s1, v(ps, down1W, x, training), v(ps, down1B, x, training), 2);
        NDArray s2 = d2.forward(ps, h, temb, training);
        h = mid1.forward(ps, s2, temb, training);
        h = mid2.forward(ps, h, temb, training);
        h = u2.forward(ps, NDArrays.concat(new NDList(h, s2), 1), temb, training);
        h = Nn.upsample2(Nn.conv3(h, v(ps, up1W, x, training), v(ps, up1B, x, training), 1));
        h = u1.forward(ps, NDArrays.concat(new NDList(h, s1), 1), temb, training);
        h = Nn.upsample2(Nn.conv3(h, v(ps, up0W, x, training), v(ps, up0B, x, training), 1));
        h = u0.forward(ps, NDArrays.concat(new NDList(h, s0), 1), temb, training);
        h = Nn.act(Nn.groupNorm(h, cfg.groups(), v(ps, outG, x, training), v(ps, outBeta, x, training)));
        return new NDList(Nn.conv3(h, v(ps, outW, x, training), v(ps, outB, x, training), 1));
    }

    /** Sinusoidal embedding [sin(t f_k), cos(t f_k)], f_k = 10000^(-k/half), then the MLP. */
    private NDArray timeEmbedding(ParameterStore ps, NDArray t, NDArray like, boolean training) {
        int half = cfg.sinDim() / 2;
        float[] f = new float[half];
        for (int k = 0; k < half; k++) {
            f[k] = (float) Math.exp(-Math.log(10000.0) * k / half);
        }
        NDArray freqs = t.getManager().create(f).toType(t.getDataType(), false);
        NDArray args = t.reshape(-1, 1).mul(freqs.reshape(1, half));
        NDArray emb = NDArrays.concat(new NDList(args.sin(), args.cos()), 1);
        NDArray h = Nn.act(Nn.linear(emb, v(ps, t1W, like, training), v(ps, t1B, like, training)));
        return Nn.linear(h, v(ps, t2W, like, training), v(ps, t2B, like, training));
    }

    /**
     * The rows of the label embedding for {@code labels} (null: the null label for every sample), as a one-hot
     * product so that gradients reach the table. Labels outside {@code 0..classes} are invalid; {@link MnistDiffusion}
     * checks them with a clear message.
     */
    private NDArray labelEmbedding(ParameterStore ps, NDArray labels, NDArray like, boolean training) {
        NDArray table = v(ps, labelEmb, like, training);
        int rows = cfg.classes() + 1;
        long b = like.getShape().get(0);
        NDArray idx = labels == null
                ? like.getManager().full(new Shape(b), cfg.classes(), DataType.INT64)
                : labels.toType(DataType.INT64, false);
        return idx.oneHot(rows, like.getDataType()).matMul(table);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, DataType dataType,
            Shape... inputShapes) {
        // no child blocks: every parameter is direct and has a fixed shape
    }

    /** Residual block with a time-embedding injection after the first convolution. */
    private static final class ResBlock {
        private final int groups;
        private final Parameter g1;
        private final Parameter b1;
        private final Parameter c1W;
        private final Parameter c1B;
        private final Parameter tW;
        private final Parameter tB;
        private final Parameter g2;
        private final Parameter b2;
        private final Parameter c2W;
        private final Parameter c2B;
        private final Parameter skW;
        private final Parameter skB;

        ResBlock(UNet o, String name, int cin, int cout) {
            groups = o.cfg.groups();
            if (cin % groups != 0 || cout % groups != 0) {
                throw new IllegalArgumentException(name + ": widths " + cin + "/" + cout
                        + " not divisible by " + groups + " groups");
            }
            g1 = o.gamma(name + ".gn1.g", cin);
            b1 = o.beta(name + ".gn1.b", cin);
            c1W = o.weight(name + ".c1.w", cout, cin, 3, 3);
            c1B = o.bias(name + ".c1.b", cout);
            tW = o.weight(name + ".t.w", cout, o.cfg.tembDim());
            tB = o.bias(name + ".t.b", cout);
            g2 = o.gamma(name + ".gn2.g", cout);
            b2 = o.beta(name + ".gn2.b", cout);
            c2W = o.weight(name + ".c2.w", cout, cout, 3, 3);
            c2B = o.bias(name + ".c2.b", cout);
            if (cin != cout) {
                skW = o.weight(name + ".skip.w", cout, cin, 1, 1);
                skB = o.bias(name + ".skip.b", cout);
            } else {
                skW = null;
                skB = null;
            }
        }

        NDArray forward(ParameterStore ps, NDArray x, NDArray temb, boolean tr) {
            NDArray h = Nn.act(Nn.groupNorm(x, groups, v(ps, g1, x, tr), v(ps, b1, x, tr)));
            h = Nn.conv3(h, v(ps, c1W, x, tr), v(ps, c1B, x, tr), 1);
            NDArray tp = Nn.linear(Nn.act(temb), v(ps, tW, x, tr), v(ps, tB, x, tr));
            h = h.add(tp.reshape(tp.getShape().get(0), tp.getShape().get(1), 1, 1));
            h = Nn.act(Nn.groupNorm(h, groups, v(ps, g2, x, tr), v(ps, b2, x, tr)));
            h = Nn.conv3(h, v(ps, c2W, x, tr), v(ps, c2B, x, tr), 1);
            NDArray skip = skW == null ? x : Nn.conv1(x, v(ps, skW, x, tr), v(ps, skB, x, tr));
            return skip.add(h);
        }
    }
}
