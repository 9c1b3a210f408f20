package io.fairbeam.metrics;

import org.apache.beam.sdk.annotations.Internal;

/**
 * The per-example terms of TFMA 0.52's regression metrics ({@code mean_regression_error.py}, {@code
 * squared_pearson_correlation.py}, {@code tjur_discrimination.py}).
 */
@Internal
public enum RegressionTerm implements ExampleTerm {
  /** |label − prediction|. */
  ABSOLUTE_ERROR {
    @Override
    public double of(double label, double prediction) {
      return Math.abs(label - prediction);
    }
  },
  /** (label − prediction)². */
  SQUARED_ERROR {
    @Override
    public double of(double label, double prediction) {
      double error = label - prediction;
      return error * error;
    }
  },
  /** 100 · |(label − prediction) / label|; NaN (left out) at label 0. */
  ABSOLUTE_PERCENTAGE_ERROR {
    @Override
    public double of(double label, double prediction) {
      return label == 0 ? Double.NaN : 100 * Math.abs((label - prediction) / label);
    }
  },
  /** (log(label + 1) − log(prediction + 1))²; NaN (left out) below −1. */
  SQUARED_LOGARITHMIC_ERROR {
    @Override
    public double of(double label, double prediction) {
      double error = Math.log(label + 1) - Math.log(prediction + 1);
      return error * error;
    }
  },
  /** label². */
  LABEL_SQUARED {
    @Override
    public double of(double label, double prediction) {
      return label * label;
    }
  },
  /** prediction². */
  PREDICTION_SQUARED {
    @Override
    public double of(double label, double prediction) {
      return prediction * prediction;
    }
  },
  /** label · prediction: with the label sum, the mean prediction of the positives. */
  LABEL_TIMES_PREDICTION {
    @Override
    public double of(double label, double prediction) {
      return label * prediction;
    }
  },
  /** (1 − label) · prediction: the mean prediction of the negatives. */
  NEGATIVE_LABEL_TIMES_PREDICTION {
    @Override
    public double of(double label, double prediction) {
      return (1 - label) * prediction;
    }
  };

  @Override
  public boolean skipsNaN() {
    return switch (this) {
      case ABSOLUTE_ERROR, SQUARED_ERROR, ABSOLUTE_PERCENTAGE_ERROR, SQUARED_LOGARITHMIC_ERROR ->
          true;
      default -> false;
    };
  }
}
