package dfl.models.mnist;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam (Kingma and Ba) with global gradient-norm clipping, written out so that its moments can be
 * checkpointed (DJL's optimizer keeps them private). Moments live in their own manager; every
 * temporary is attached to the caller's per-step manager so nothing accumulates.
 */
final class Adam implements AutoCloseable {
    private final List<Parameter> params;
    private final NDManager manager;
    private final List<NDArray> m = new ArrayList<>();
    private final List<NDArray> v = new ArrayList<>();
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final float[] lrScale;
    /** Adam's own step counter t (bias correction); differs from the training step after a resume without moments. */
    private long t;

    /** @param lrScale per-parameter multipliers of the learning rate, in the order of {@code params} */
    Adam(List<Parameter> params, float[] lrScale, NDManager parent, float beta1, float beta2, float eps) {
        if (lrScale.length != params.size()) {
            throw new IllegalArgumentException(lrScale.length + " learning-rate scales for " + params.size() + " parameters");
        }
        this.params = params;
        this.lrScale = lrScale.clone();
        this.manager = parent.newSubManager();
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        for (Parameter p : params) {
            m.add(manager.zeros(p.getArray().getShape(), p.getArray().getDataType()));
            v.add(manager.zeros(p.getArray().getShape(), p.getArray().getDataType()));
        }
    }

    long stepCount() {
        return t;
    }

    /**
     * Applies one update from the gradients accumulated on the parameters, then zeroes them.
     *
     * @param sub per-step manager receiving temporaries
     * @param lr learning rate
     * @param clipNorm global L2 norm above which the gradient is rescaled (≤ 0: no clipping)
     * @return the gradient norm before clipping
     */
    float step(NDManager sub, float lr, float clipNorm) {
        JniUtils.setGradMode(false);
        List<NDArray> grads = new ArrayList<>(params.size());
        NDArray sq = null;
        for (Parameter p : params) {
            NDArray g = p.getArray().getGradient();
            g.attach(sub);
            grads.add(g);
            NDArray s = g.square().sum();
            sq = sq == null ? s : sq.add(s);
        }
        float norm = (float) Math.sqrt(sq.getFloat());
        float scale = clipNorm > 0 && norm > clipNorm ? clipNorm / norm : 1f;
        t++;
        float bc1 = (float) (1 - Math.pow(beta1, t));
        float bc2 = (float) (1 - Math.pow(beta2, t));
        for (int i = 0; i < params.size(); i++) {
            NDArray g = scale == 1f ? grads.get(i) : grads.get(i).mul(scale);
            NDArray mi = m.get(i);
            NDArray vi = v.get(i);
            mi.muli(beta1).addi(g.mul(1 - beta1));
            vi.muli(beta2).addi(g.square().mul(1 - beta2));
            NDArray denom = tmp(sub, vi.div(bc2)).sqrt().add(eps);
            NDArray upd = tmp(sub, mi.mul(lr * lrScale[i] / bc1)).div(denom);
            NDArray w = params.get(i).getArray();
            w.subi(upd);
            JniUtils.zeroGrad((PtNDArray) w);
        }
        return norm;
    }

    static NDArray tmp(NDManager sub, NDArray a) {
        a.attach(sub);
        return a;
    }

    /** Writes t and the moments. */
    void save(OutputStream os) throws IOException {
        NDList all = new NDList();
        all.add(manager.create(new long[] {t}));
        all.addAll(new NDList(m));
        all.addAll(new NDList(v));
        all.encode(os);
        all.get(0).close();
    }

    /** Restores what {@link #save} wrote; the parameter list must match. */
    void load(InputStream is) throws IOException {
        try (NDManager tmp = manager.newSubManager()) {
            NDList all = NDList.decode(tmp, is);
            if (all.size() != 1 + 2 * params.size()) {
                throw new IOException("Adam state has " + all.size() + " arrays, expected " + (1 + 2 * params.size()));
            }
            t = all.get(0).toLongArray()[0];
            for (int i = 0; i < params.size(); i++) {
                NDArray a = all.get(1 + i);
                NDArray b = all.get(1 + params.size() + i);
                if (!a.getShape().equals(m.get(i).getShape())) {
                    throw new IOException("Adam moment shape mismatch for " + params.get(i).getName());
                }
                m.get(i).set(a.toByteBuffer());
                v.get(i).set(b.toByteBuffer());
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
