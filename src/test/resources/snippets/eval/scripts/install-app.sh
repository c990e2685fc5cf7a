#!/bin/sh
# Installs the shop application; APP_VERSION and WORKERS come from the provision step's env.
set -eu
sudo mkdir -p /opt/shop
sudo curl -fsSL "https://artifacts.example.com/shop/${APP_VERSION}/shop.tar.gz" -o /tmp/shop.tar.gz
sudo tar -xzf /tmp/shop.tar.gz -C /opt/shop
echo "workers=${WORKERS}" | sudo tee /opt/shop/workers.conf
