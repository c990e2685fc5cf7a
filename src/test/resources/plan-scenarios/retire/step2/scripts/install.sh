#!/bin/sh
set -eu
sudo dnf install -y nginx
echo release 2 | sudo tee /etc/motd
