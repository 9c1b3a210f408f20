#!/usr/bin/env bash
# Launches a Fairbeam evaluation on Google Cloud Dataflow:
#   mvn -B -Pdataflow -DskipTests install
#   PROJECT=my-project REGION=europe-west1 BUCKET=my-bucket \
#     deploy/dataflow/evaluate.sh --config configs/adult.pbtxt \
#       --data 'gs://my-bucket/eval/part-*' --output gs://my-bucket/results/adult
# Data and output must be on Cloud Storage (Dataflow's workers share no disk with the launcher;
# a local path is refused with one sentence). The workers write the result beside --output and
# commit it by copy, fairbeam_run.json last: the result is complete when that file is there.
# What is staged: the launcher's class path without Flink, the Direct Runner and Hadoop, and
# without TensorFlow's native library unless --model is given (the launcher prints the count and
# size: about 250 files, 157 MB for 0.1.0; Dataflow names staged files by their content, so a later
# run uploads only what changed). Give --filesToStage to choose yourself.
# Checked here without Google Cloud up to the first Cloud Storage call: scripts/dataflow-launch-check.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
: "${PROJECT:?set PROJECT to the Google Cloud project}"
: "${REGION:?set REGION, e.g. europe-west1}"
: "${BUCKET:?set BUCKET to a Cloud Storage bucket for staging and temporary files}"
jar="$root/pipeline/target/fairbeam.jar"
if ! compgen -G "$root/pipeline/target/lib/beam-runners-google-cloud-dataflow-java-*.jar" > /dev/null; then
  echo "evaluate.sh: $jar is not the Dataflow build; run mvn -B -Pdataflow -DskipTests install" >&2
  exit 1
fi
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-1}"
exec java ${FAIRBEAM_JAVA_OPTS:--Xmx4g} -jar "$jar" evaluate "$@" \
  --runner=DataflowRunner --project="$PROJECT" --region="$REGION" \
  --tempLocation="gs://$BUCKET/fairbeam/tmp" --stagingLocation="gs://$BUCKET/fairbeam/staging"
