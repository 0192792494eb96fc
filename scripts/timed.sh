#!/usr/bin/env bash
# Runs a command and prints how long it took, whatever its outcome: `make test` times each of its passes
# (lint, SQLite, PostgreSQL) so that a run creeping towards CI's limit shows where the time goes.
set -uo pipefail
label=$1
shift
start=$(date +%s)
"$@"
status=$?
elapsed=$(($(date +%s) - start))
printf '\n== %s : %d min %02d s (code de sortie %d)\n' "$label" $((elapsed / 60)) $((elapsed % 60)) "$status"
exit "$status"
