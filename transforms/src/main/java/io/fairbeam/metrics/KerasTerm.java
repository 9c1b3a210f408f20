package io.fairbeam.metrics;

import org.apache.beam.sdk.annotations.Internal;

/**
 * The per-example terms of the Keras metrics TFMA 0.52 runs by {@code class_name} when it has no
 * metric of that name ({@code tf_keras.metrics}, Keras 2 semantics), each as Keras defines it.
 */
@Internal
public enum KerasTerm implements ExampleTerm {
  /**
   * {@code Hinge}: max(1 − y·p, 0), a 0/1 label first turned into −1/1 (Keras converts a batch
   * whose labels are all 0 or 1; here each example whose label is).
   */
  HINGE {
    @Override
    public double of(double label, double prediction) {
      return Math.max(1 - signed(label) * prediction, 0);
    }
  },
  /** {@code SquaredHinge}: the hinge squared. */
  SQUARED_HINGE {
    @Override
    public double of(double label, double prediction) {
      double hinge = Math.max(1 - signed(label) * prediction, 0);
      return hinge * hinge;
    }
  },
  /** {@code LogCoshError}: log(cosh(p − y)), as Keras writes it: x + softplus(−2x) − log 2. */
  LOG_COSH {
    @Override
    public double of(double label, double prediction) {
      double x = prediction - label;
      double softplus = Math.max(-2 * x, 0) + Math.log1p(Math.exp(-Math.abs(-2 * x)));
      return x + softplus - Math.log(2);
    }
  },
  /** {@code Poisson}: p − y·log(p + 1e-7). */
  POISSON {
    @Override
    public double of(double label, double prediction) {
      return prediction - label * Math.log(prediction + EPSILON);
    }
  },
  /** {@code KLDivergence}: y·log(y / p), both clipped to [1e-7, 1]. */
  KL_DIVERGENCE {
    @Override
    public double of(double label, double prediction) {
      double y = Math.min(Math.max(label, EPSILON), 1);
      double p = Math.min(Math.max(prediction, EPSILON), 1);
      return y * Math.log(y / p);
    }
  },
  /** {@code Accuracy}: 1 when the prediction equals the label (in single precision), else 0. */
  ACCURACY {
    @Override
    public double of(double label, double prediction) {
      return (float) label == (float) prediction ? 1 : 0;
    }
  },
  /**
   * {@code CosineSimilarity} of one-element vectors: the product of the label and the prediction,
   * each divided by its norm (at least 1e-6, as {@code tf.math.l2_normalize}).
   */
  COSINE_SIMILARITY {
    @Override
    public double of(double label, double prediction) {
      return normalized(label) * normalized(prediction);
    }
  };

  /** Keras' {@code backend.epsilon()}. */
  static final double EPSILON = 1e-7;

  private static double signed(double label) {
    return label == 0 || label == 1 ? 2 * label - 1 : label;
  }

  private static double normalized(double x) {
    return x / Math.sqrt(Math.max(x * x, 1e-12));
  }
}
