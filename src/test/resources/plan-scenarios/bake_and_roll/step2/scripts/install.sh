#!/bin/sh
set -eu
sudo dnf install -y nginx
sudo systemctl enable nginx
echo v2 | sudo tee /etc/motd
