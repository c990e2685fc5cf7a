#!/bin/bash
# Installs and enables the web server; runs on the builder over SSM Run Command.
set -euo pipefail
sudo dnf install -y nginx
sudo systemctl enable nginx
echo "baked by imm" | sudo tee /usr/share/nginx/html/index.html
