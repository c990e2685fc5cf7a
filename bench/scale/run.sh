#!/usr/bin/env bash
# imm apply and imm plan at several stack sizes on the simulated cloud: is the time per fleet flat?
# For each N: the plan/apply stack of N fleets (bench/plan-apply/generate.sh); `imm apply` from empty;
# `imm plan` with nothing to do, made afresh (IMM_NO_PLAN_MEMO=1) under a 1 GiB heap (-Xmx1g); and the
# same plan remembered. Each figure is one whole process through ./imm (/usr/bin/time: wall seconds and
# peak resident MiB), the median of ROUNDS runs; per fleet in milliseconds, and its ratio to the first N.
#
# Usage: bench/scale/run.sh [N ...]        (default 2000 5000 20000; ROUNDS=3)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(2000 5000 20000)
rounds=${ROUNDS:-3}
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time is needed (apt-get install time)" >&2; exit 1; }
./imm version >/dev/null
work=$(mktemp -d "${TMPDIR:-/tmp}/imm-scale.XXXXXX")
trap 'rm -rf "$work"' EXIT

# median of the given numbers
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
# runs "$@" ROUNDS times (after $prepare, if set), prints "median_wall_s median_peak_mib"
measure() {
  local walls=() peaks=()
  for ((r = 0; r < rounds; r++)); do
    [[ -n ${prepare:-} ]] && eval "$prepare"
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
    read -r wall kib <"$work/time"
    walls+=("$wall"); peaks+=("$((kib / 1024))")
  done
  echo "$(median "${walls[@]}") $(median "${peaks[@]}")"
}

printf '%-7s | %-28s | %-28s | %-28s\n' "fleets" "apply: s, MiB, ms/fleet (×)" "plan afresh, -Xmx1g (×)" "plan remembered (×)"
base_apply="" base_plan="" base_memo=""
for n in "${sizes[@]}"; do
  bench/plan-apply/generate.sh "$n" "$work/$n" >/dev/null
  stack="$work/$n/imm"
  read -r aw ap < <(prepare="rm -rf '$stack/.imm'" measure ./imm apply "$stack" --auto-approve)
  read -r pw pp < <(IMM_NO_PLAN_MEMO=1 IMM_JAVA_OPTS=-Xmx1g measure ./imm plan "$stack" --detailed-exitcode)
  ./imm plan "$stack" --detailed-exitcode >/dev/null || true   # remembered from here on
  read -r mw mp < <(measure ./imm plan "$stack" --detailed-exitcode)
  af=$(awk -v w="$aw" -v n="$n" 'BEGIN {printf "%.3f", w * 1000 / n}')
  pf=$(awk -v w="$pw" -v n="$n" 'BEGIN {printf "%.3f", w * 1000 / n}')
  mf=$(awk -v w="$mw" -v n="$n" 'BEGIN {printf "%.4f", w * 1000 / n}')
  base_apply=${base_apply:-$af}; base_plan=${base_plan:-$pf}; base_memo=${base_memo:-$mf}
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
  printf '%-7s | %5.2f s %5d MiB %6s (%s) | %5.2f s %5d MiB %6s (%s) | %5.2f s %4d MiB %6s (%s)\n' "$n" \
    "$aw" "$ap" "$af" "$(ratio "$af" "$base_apply")" "$pw" "$pp" "$pf" "$(ratio "$pf" "$base_plan")" \
    "$mw" "$mp" "$mf" "$(ratio "$mf" "$base_memo")"
  rm -rf "$work/$n"
done
