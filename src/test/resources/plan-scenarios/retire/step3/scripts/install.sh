#!/bin/sh
set -eu
sudo dnf install -y nginx
echo release 3 | sudo tee /etc/motd
