# Sourced by compat/run and scripts/bench-vs-tfma: makes sure the pinned TFMA environment exists
# and sets $py to its Python. Created on first use under $FAIRBEAM_COMPAT_VENV (default
# ~/.cache/fairbeam/compat-venv), reused while compat/requirements.lock is unchanged; it needs
# PyPI, and fails (never skips) when PyPI cannot be reached.
compat_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${FAIRBEAM_COMPAT_VENV:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/fairbeam/compat-venv}"
stamp="$(sha256sum "$compat_dir/requirements.lock" | cut -c1-16)"
if [[ ! -f "$venv/.fairbeam-$stamp" ]]; then
  echo "compat: creating the TFMA environment in $venv (first use; needs PyPI)..." >&2
  rm -rf "$venv"
  "${FAIRBEAM_PYTHON:-python3}" -m venv "$venv"
  "$venv/bin/pip" install --quiet --upgrade pip
  "$venv/bin/pip" install --quiet -r "$compat_dir/requirements.lock"
  # fairness-indicators 0.52 declares tensorflow-data-validation 1.21, which PyPI does not serve
  # for this Python; its FairnessIndicators metric needs only TFMA, so it goes in without deps.
  "$venv/bin/pip" install --quiet --no-deps fairness-indicators==0.52.0
  touch "$venv/.fairbeam-$stamp"
fi
py="$venv/bin/python"
export TF_CPP_MIN_LOG_LEVEL=3 PYTHONWARNINGS=ignore

# fairlearn 0.15 (its MetricFrame checks Fairbeam's group disparities) lives in its own pinned
# environment, so that it cannot move TFMA's dependencies; $fairlearn_py is its Python.
fairlearn_venv="${FAIRBEAM_FAIRLEARN_VENV:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/fairbeam/fairlearn-venv}"
fairlearn_stamp="$(sha256sum "$compat_dir/fairlearn-requirements.lock" | cut -c1-16)"
if [[ ! -f "$fairlearn_venv/.fairbeam-$fairlearn_stamp" ]]; then
  echo "compat: creating the fairlearn environment in $fairlearn_venv (first use; needs PyPI)..." >&2
  rm -rf "$fairlearn_venv"
  "${FAIRBEAM_PYTHON:-python3}" -m venv "$fairlearn_venv"
  "$fairlearn_venv/bin/pip" install --quiet -r "$compat_dir/fairlearn-requirements.lock"
  touch "$fairlearn_venv/.fairbeam-$fairlearn_stamp"
fi
fairlearn_py="$fairlearn_venv/bin/python"

# The Seldonian Engine 0.8.11 (its own safety test checks Fairbeam's fairness constraints) needs
# Python 3.10 and numpy<2; it lives in its own pinned environment. $seldonian_py is its Python.
seldonian_venv="${FAIRBEAM_SELDONIAN_VENV:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/fairbeam/seldonian-venv}"
seldonian_stamp="$(sha256sum "$compat_dir/seldonian/requirements.lock" | cut -c1-16)"
if [[ ! -f "$seldonian_venv/.fairbeam-$seldonian_stamp" ]]; then
  python310=""
  for candidate in "${FAIRBEAM_PYTHON310:-}" \
    "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.10*/bin/python "$(command -v python3.10 || true)"; do
    # A pyenv shim may exist without its version selected: a candidate must run as Python 3.10.
    if [[ -n "$candidate" && -x "$candidate" ]] \
      && "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
      python310="$candidate"
      break
    fi
  done
  if [[ -z "$python310" ]]; then
    echo "compat: the Seldonian Engine needs Python 3.10 (pyenv, python3.10 or" \
      "FAIRBEAM_PYTHON310); none found" >&2
    exit 2
  fi
  echo "compat: creating the Seldonian Engine environment in $seldonian_venv (first use; needs" \
    "PyPI)..." >&2
  rm -rf "$seldonian_venv"
  "$python310" -m venv "$seldonian_venv"
  "$seldonian_venv/bin/pip" install --quiet -r "$compat_dir/seldonian/requirements.lock"
  touch "$seldonian_venv/.fairbeam-$seldonian_stamp"
fi
seldonian_py="$seldonian_venv/bin/python"
