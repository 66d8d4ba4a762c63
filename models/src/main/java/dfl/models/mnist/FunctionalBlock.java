package dfl.models.mnist;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;

/**
 * A block whose parameters all have shapes known at construction, used functionally in
 * {@code forwardInternal}. Parameters are registered in a fixed order, which is the order of
 * DJL's {@code saveParameters} file.
 */
abstract class FunctionalBlock extends AbstractBlock {
    private static final byte VERSION = 1;

    FunctionalBlock() {
        super(VERSION);
    }

    /** Registers a weight (He-normal init). */
    protected final Parameter weight(String name, long... shape) {
        return register(name, Parameter.Type.WEIGHT, Nn.HE_NORMAL, shape);
    }

    /** Registers a bias (zero init). */
    protected final Parameter bias(String name, long size) {
        return register(name, Parameter.Type.BIAS, Initializer.ZEROS, size);
    }

    /** Registers a weight that starts at zero (e.g. an embedding whose initial contribution must vanish). */
    protected final Parameter zeros(String name, long... shape) {
        return register(name, Parameter.Type.WEIGHT, Initializer.ZEROS, shape);
    }

    /** Registers a normalisation scale (one init). */
    protected final Parameter gamma(String name, long size) {
        return register(name, Parameter.Type.GAMMA, Initializer.ONES, size);
    }

    /** Registers a normalisation shift (zero init). */
    protected final Parameter beta(String name, long size) {
        return register(name, Parameter.Type.BETA, Initializer.ZEROS, size);
    }

    private Parameter register(String name, Parameter.Type type, Initializer init, long... shape) {
        if (parameters.containsKey(name)) {
            throw new IllegalStateException("duplicate parameter name " + name);
        }
        return addParameter(Parameter.builder().setName(name).setType(type)
                .optShape(new Shape(shape)).optInitializer(init).build());
    }

    /** The value of a parameter on the device of {@code like}. */
    protected static NDArray v(ParameterStore ps, Parameter p, NDArray like, boolean training) {
        return ps.getValue(p, like.getDevice(), training);
    }

    /** @return the number of scalar parameters */
    public long parameterCount() {
        long n = 0;
        for (Parameter p : getParameters().values()) {
            n += p.getShape().size();
        }
        return n;
    }
}
