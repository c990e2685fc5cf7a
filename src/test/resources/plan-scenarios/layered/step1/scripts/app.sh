#!/bin/sh
set -eu
sudo install -d -o app -g app /opt/app
