#!/usr/bin/env bash
# Installs a small web server that answers on port 80 with the page below.
# Edit the page, run `./imm plan examples/quickstart`: the plan bakes a new image and rolls the fleet.
set -euo pipefail

sudo dnf -y -q install nginx

sudo tee /usr/share/nginx/html/index.html >/dev/null <<'HTML'
<!doctype html>
<title>quickstart</title>
<h1>Hello from an immutable image (version 1)</h1>
HTML

sudo systemctl enable nginx
