#!/bin/sh
# A stand-in scanner for the example: a real stack runs its own, as in scan = "trivy image --exit-code 1 {ref}".
# It must exit 0 to let the image through; its last line is the summary the plan shows.
case "$1" in
  *@sha256:*) echo "scanned $1: 0 critical, 0 high" ;;
  *) echo "not a digest reference: $1"; exit 2 ;;
esac
