#!/usr/bin/env bash
# Times imm plan/apply of a generated N-fleet stack on the simulated cloud next to terraform plan/apply
# of N terraform_data resources, in the same run, and prints a table.
#
# Usage: bench/plan-apply/run.sh [N]        (default 2000)
# Environment:
#   IMM_JAR         the jar to run (default target/imm.jar, relative to the repository root)
#   IMM_JAVA_OPTS   extra JVM options for imm
#   TERRAFORM       the terraform binary (default: terraform on PATH)
#   KEEP=1          keep the generated directory (its path is printed)
#
# Every figure is one whole process, measured by /usr/bin/time: wall seconds, CPU seconds
# (user + sys) and peak memory. Nothing needs the network: terraform_data is built into Terraform.
set -euo pipefail

n=${1:-2000}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
jar=$(realpath "${IMM_JAR:-target/imm.jar}")
tf=${TERRAFORM:-terraform}
[[ -f $jar ]] || { echo "no jar at $jar: build it with ./imm version, or set IMM_JAR" >&2; exit 1; }
command -v "$tf" >/dev/null || { echo "terraform not found: set TERRAFORM" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time is needed (Debian/Ubuntu: apt-get install time)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/imm-plan-apply-$n.XXXXXX")
if [[ ${KEEP:-0} == 1 ]]; then
  echo "keeping $work"
else
  trap 'rm -rf "$work"' EXIT
fi
bench/plan-apply/generate.sh "$n" "$work"
export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
unset TF_CLI_ARGS
[[ -n ${TF_CLI_CONFIG_FILE:-} && ! -e $TF_CLI_CONFIG_FILE ]] && unset TF_CLI_CONFIG_FILE

# timed NAME EXPECTED_EXIT DIR COMMAND...: runs COMMAND in DIR as one timed process, its output in
# $work/NAME.log, and records "wall_s cpu_s peak_kb" in $work/NAME.time.
timed() {
  local name=$1 expected=$2 dir=$3
  shift 3
  local status=0
  (cd "$dir" && /usr/bin/time -f '%e %U %S %M' -o "$work/$name.rawtime" "$@") >"$work/$name.log" 2>&1 || status=$?
  if [[ $status -ne $expected ]]; then
    echo "$name: exit code $status, expected $expected; last lines of its output:" >&2
    tail -20 "$work/$name.log" >&2
    exit 1
  fi
  tail -1 "$work/$name.rawtime" | awk '{ printf "%.2f %.2f %d\n", $1, $2 + $3, $4 }' >"$work/$name.time"
  echo "  $name: $(awk '{ printf "%s s wall, %s s cpu, %d MB", $1, $2, $3 / 1024 }' "$work/$name.time")" >&2
}
# shellcheck disable=SC2206 # IMM_JAVA_OPTS is split into words on purpose
imm=(java ${IMM_JAVA_OPTS:-} -jar "$jar" --no-color)

echo "$("${imm[@]}" version | head -1), $("$tf" version | head -1), $n fleets / resources, $(nproc) cores" >&2

# imm: first apply from empty, then a plan with nothing to do, then a plan after one image's
# provisioning step changed (1 bake, and a roll of the n/20 fleets that run that image).
timed imm-apply 0 "$work/imm" "${imm[@]}" apply . --auto-approve
timed imm-plan 0 "$work/imm" "${imm[@]}" plan . --detailed-exitcode
sed -i 's|/opt/install.sh 0 v1|/opt/install.sh 0 v2|' "$work/imm/images.imm"
timed imm-plan-change 2 "$work/imm" "${imm[@]}" plan . --detailed-exitcode
grep -q 'image.svc0 will be baked' "$work/imm-plan-change.log" || { echo "imm-plan-change: no bake of image.svc0" >&2; exit 1; }

# terraform: init (built-in provider only, so offline), first apply, a plan with nothing to do, then a
# plan after the same change (the n/20 resources with image "svc0" get a new input: updated in place).
(cd "$work/terraform" && "$tf" init -input=false -no-color >"$work/tf-init.log" 2>&1) || { cat "$work/tf-init.log" >&2; exit 1; }
timed tf-apply 0 "$work/terraform" "$tf" apply -input=false -no-color -auto-approve
timed tf-plan 0 "$work/terraform" "$tf" plan -input=false -no-color -detailed-exitcode
sed -i 's|"svc0"$|"svc0-v2"|' "$work/terraform/main.tf"
timed tf-plan-change 2 "$work/terraform" "$tf" plan -input=false -no-color -detailed-exitcode

row() {
  local what=$1 a=$2 b=$3 target=$4
  read -r aw ac am <"$work/$a.time"
  read -r bw bc bm <"$work/$b.time"
  awk -v what="$what" -v aw="$aw" -v ac="$ac" -v am="$am" -v bw="$bw" -v bc="$bc" -v bm="$bm" -v target="$target" 'BEGIN {
    printf "| %-30s | %10.2f | %9.2f | %6d | %9.2f | %8.2f | %5d | %12.1fx | %6s |\n", what, aw, ac, am / 1024, bw, bc, bm / 1024, bw / aw, target }'
}
echo
echo "$n fleets (imm, simulated cloud) vs $n terraform_data resources; whole processes, one run each"
echo
echo "| operation                      | imm wall s | imm cpu s | imm MB | tf wall s | tf cpu s | tf MB | tf / imm wall | target |"
echo "|--------------------------------|-----------:|----------:|-------:|----------:|---------:|------:|--------------:|-------:|"
row "apply, from empty" imm-apply tf-apply 30x
row "plan, no changes" imm-plan tf-plan 10x
row "plan, one image changed" imm-plan-change tf-plan-change 10x
