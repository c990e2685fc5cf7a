#!/bin/sh
# The runtime's entry point: serve the app directory on $PORT.
exec httpd -f -p "${PORT:-8080}" -h /srv/app
