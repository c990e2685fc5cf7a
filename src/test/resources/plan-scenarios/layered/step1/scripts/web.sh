#!/bin/sh
set -eu
sudo install -d -o web -g web /opt/web
