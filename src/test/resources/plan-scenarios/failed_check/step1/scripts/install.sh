#!/bin/sh
set -eu
sudo dnf install -y nginx
sudo systemctl enable nginx
