#!/bin/sh
set -eu
sudo dnf install -y chrony
sudo systemctl enable chronyd
sudo dnf update -y --security
