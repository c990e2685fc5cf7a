#!/usr/bin/env bash
# The HTML report of a big rollout: an N-fleet stack (bench/plan-apply/generate.sh) applied on the
# simulated cloud, then its base image changed (21 bakes, N rolls) and reported with
# `imm plan --rehearse --format html`. Prints the report's size, the time imm took to write it, and the
# time headless Chromium takes to open it (navigation start to the load event, and to lay out every
# collapsed part opened at once), min / median / max over ROUNDS loads.
#
# Usage: bench/report/run.sh [N]          (default 2000)
# Environment: IMM_JAR (default target/imm.jar), ROUNDS (default 5), KEEP=1 keeps the stack and report.
# Needs Debian's chromium and chromium-driver, and python3 (it speaks WebDriver to chromedriver on 127.0.0.1).
set -euo pipefail

n=${1:-2000}
rounds=${ROUNDS:-5}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
jar=$(realpath "${IMM_JAR:-target/imm.jar}")
[[ -f $jar ]] || { echo "no jar at $jar: build it with ./imm version, or set IMM_JAR" >&2; exit 1; }
for tool in /usr/bin/chromium /usr/bin/chromedriver python3; do
  command -v "$tool" >/dev/null || { echo "$tool is needed (apt-get install -y chromium chromium-driver python3)" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/imm-report-$n.XXXXXX")
if [[ ${KEEP:-0} == 1 ]]; then echo "keeping $work"; else trap 'rm -rf "$work"' EXIT; fi

bench/plan-apply/generate.sh "$n" "$work" >/dev/null
java -jar "$jar" apply "$work/imm" --auto-approve >/dev/null
sed -i 's/ami-0123456789abcdef0/ami-0123456789abcdef1/' "$work/imm/images.imm"
start=$(date +%s%N)
java -jar "$jar" plan "$work/imm" --rehearse --format html -o "$work/report.html" 2>/dev/null
took=$((($(date +%s%N) - start) / 1000000))
bytes=$(stat -c %s "$work/report.html")
echo "fleets: $n; report: $bytes bytes ($((bytes / 1024)) KiB, limit 5 MiB); imm plan --rehearse --format html: ${took} ms"

python3 - "$work/report.html" "$rounds" <<'PY'
import json, socket, statistics, subprocess, sys, tempfile, time, urllib.request

page, rounds = sys.argv[1], int(sys.argv[2])
with socket.socket() as s:
    s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]
driver = subprocess.Popen(["/usr/bin/chromedriver", f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
base = f"http://127.0.0.1:{port}"

def call(method, path, body=None):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.load(r)["value"]

try:
    for _ in range(100):
        try:
            if call("GET", "/status")["ready"]: break
        except OSError: time.sleep(0.1)
    profile = tempfile.mkdtemp(prefix="imm-chromium-")
    args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--window-size=1200,900", f"--user-data-dir={profile}"]
    sid = call("POST", "/session", {"capabilities": {"alwaysMatch": {"browserName": "chrome",
               "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": args}}}})["sessionId"]
    loads, opens = [], []
    for _ in range(rounds):
        call("POST", f"/session/{sid}/url", {"url": "about:blank"})
        call("POST", f"/session/{sid}/url", {"url": "file://" + page})
        nav = 0
        while nav <= 0:  # the load event may still be running when the navigation returns
            nav = call("POST", f"/session/{sid}/execute/sync", {"script":
                  "const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd > 0 ? n.loadEventEnd - n.startTime : 0;",
                  "args": []})
        loads.append(nav)
        opened = call("POST", f"/session/{sid}/execute/sync", {"script":
              "const t = performance.now(); document.querySelectorAll('details').forEach(d => d.open = true);"
              " document.body.getBoundingClientRect(); void document.body.offsetHeight; return performance.now() - t;", "args": []})
        opens.append(opened)
    call("DELETE", f"/session/{sid}")
    fmt = lambda xs: f"min {min(xs):.0f} / median {statistics.median(xs):.0f} / max {max(xs):.0f} ms"
    print(f"Chromium load (navigation start to load event), {rounds} loads: {fmt(loads)}")
    print(f"every collapsed part opened at once (layout):    {fmt(opens)}")
finally:
    driver.terminate()
PY
