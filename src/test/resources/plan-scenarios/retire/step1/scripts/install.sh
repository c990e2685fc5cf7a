#!/bin/sh
set -eu
sudo dnf install -y nginx
echo release 1 | sudo tee /etc/motd
