package io.fairbeam.beam;

import io.fairbeam.eval.EvalPlan;
import io.fairbeam.proto.tfma.EvalRun;
import java.io.Serializable;
import java.util.List;

/**
 * What an {@link EvalResult} carries for its writer besides the collections.
 *
 * @param plan the resolved config (which outputs are disabled)
 * @param evalRun what {@code eval_config.json} holds: the config, data location and format
 * @param inputs the local files and directories the evaluation reads, which an output must not hold
 */
record ResultContext(EvalPlan plan, EvalRun evalRun, List<String> inputs) implements Serializable {}
