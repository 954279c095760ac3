#!/usr/bin/env bash
# mailgate's start-up benchmark: time to "Started", to /actuator/health and to the first authenticated API call,
# CPU seconds, and idle memory after 60 s, with -Xmx512m, 3 runs (bench/startup.py describes the columns).
#
#   bench/startup.sh [--runs N] [--idle S] [--restart] [--extract | --cds | --aot | --launcher] [--spring-aot]
#                     [-- extra JVM options]
#
# Builds the jar (./mvnw -q -DskipTests package) unless MAILGATE_JAR names one.
set -euo pipefail
cd "$(dirname "$0")/.."
opts=()
while [[ $# -gt 0 && $1 != -- ]]; do opts+=("$1"); shift; done
[[ ${1:-} == -- ]] && shift
jar=${MAILGATE_JAR:-}
if [[ -z $jar ]]; then
    echo "building mailgate (./mvnw -q -DskipTests package)" >&2
    ./mvnw -q -o -DskipTests package >&2 || ./mvnw -q -DskipTests package >&2
    jar=$(ls target/mailgate-*.jar | grep -v original | head -1)
fi
exec python3 bench/startup.py --jar "$(realpath "$jar")" "${opts[@]}" -- "$@"
