#!/usr/bin/env bash
# Launches a Fairbeam evaluation on Google Cloud Dataflow:
#   mvn -B -Pdataflow -DskipTests install
#   PROJECT=my-project REGION=europe-west1 BUCKET=my-bucket \
#     deploy/dataflow/evaluate.sh --config configs/adult.pbtxt \
#       --data 'gs://my-bucket/eval/part-*' --output RESULT
# Dataflow stages the launcher's class path itself (the job jar is for Flink).
#
# Not done yet: the result is committed by the launcher into a local directory, which Dataflow's
# workers cannot write to, and results on gs:// are not supported yet; the launcher refuses the
# run with that message before anything is staged or billed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
: "${PROJECT:?set PROJECT to the Google Cloud project}"
: "${REGION:?set REGION, e.g. europe-west1}"
: "${BUCKET:?set BUCKET to a Cloud Storage bucket for staging and temporary files}"
exec "$root/scripts/fairbeam" evaluate "$@" \
  --runner=DataflowRunner --project="$PROJECT" --region="$REGION" \
  --tempLocation="gs://$BUCKET/fairbeam/tmp" --stagingLocation="gs://$BUCKET/fairbeam/staging"
