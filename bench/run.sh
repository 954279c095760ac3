#!/usr/bin/env bash
# mailgate's ingest benchmark, side by side with mbsync and a Python imaplib script on one private Dovecot.
#
#   bench/run.sh idle [-- idle_bench.py options]     1,000 idle push connections, then 100 messages at once
#   bench/run.sh [N...] [-- bench.py options]        e.g. bench/run.sh            (N = 1000)
#                                                         bench/run.sh 1000 10000
#                                                         bench/run.sh 1000 -- --db h2 --rtt 0
#
# Builds the jar (./mvnw -q -DskipTests package) unless MAILGATE_JAR names one (e.g. built from another branch)
# or several ("base=a.jar new=b.jar": each measured against the same peers in the same run), then runs
# bench/bench.py in target/bench/run-<time>/ and prints a table. The whole run stops itself after BENCH_TIMEOUT
# seconds (default 1200, plus per jar 1200 and 1800 per 10,000 messages); every process it started (Dovecot,
# delay proxies, mailgate JVMs) is stopped when it ends, fails or is interrupted.
# Needs: dovecot-imapd, isync (mbsync), openssl, python3, Java 17, and for PostgreSQL rounds a local server with
# role mailgate/mailgate (the database mailgate_bench is dropped and created by `su postgres`).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

mode=ingest
if [[ ${1:-} == idle ]]; then mode=idle; shift; fi
sizes=()
while [[ $# -gt 0 && $1 != -- ]]; do sizes+=("$1"); shift; done
[[ ${1:-} == -- ]] && shift
[[ ${#sizes[@]} -eq 0 ]] && sizes=(1000)

# MAILGATE_JAR: one jar, or several "label=path" separated by spaces to measure builds side by side in one run
jars=()
if [[ -n ${MAILGATE_JAR:-} ]]; then
    for spec in $MAILGATE_JAR; do
        if [[ $spec == *=* ]]; then
            jars+=(--jar "${spec%%=*}=$(realpath "${spec#*=}")")
        else
            jars+=(--jar "$(realpath "$spec")")
        fi
    done
else
    echo "building mailgate (./mvnw -q -DskipTests package)" >&2
    ./mvnw -q -o -DskipTests package >&2 || ./mvnw -q -DskipTests package >&2
    jars=(--jar "$(realpath "$(ls "$root"/target/mailgate-*.jar | grep -v original | head -1)")")
fi

bench_dir="$root/target/bench"
work="$bench_dir/run-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$work"
total=0
for n in "${sizes[@]}"; do total=$((total + n)); done
njars=$(( ${#jars[@]} / 2 ))
limit=${BENCH_TIMEOUT:-$((1200 + njars * (1200 + total * 1800 / 10000)))}
echo "work directory $work; ${jars[*]}; stops itself after $limit s" >&2

if [[ $mode == idle ]]; then
    jar=${jars[1]#*=}
    timeout --kill-after=60 "${BENCH_TIMEOUT:-1800}" python3 bench/idle_bench.py --jar "$jar" --work "$work" "$@" \
        | tee "$work/report.txt"
    exit
fi
# timeout sends TERM to bench.py, which stops its children and Dovecot before exiting
timeout --kill-after=60 "$limit" python3 bench/bench.py "${sizes[@]}" "${jars[@]}" --work "$work" \
    --corpus-dir "$bench_dir" "$@" | tee "$work/report.txt"
