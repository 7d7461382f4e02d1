#!/bin/sh
# Builds the EdgeSplit Fashion-MNIST model bundle (models/bundles/fmnist-resnet/).
# Usage: models/build.sh [train.py flags]   e.g. models/build.sh --quick   |   models/build.sh --paper-nets
set -eu
cd "$(dirname "$0")"
if ! /usr/bin/python3 -c 'import torch, torchvision, onnx' 2>/dev/null \
   || [ ! -f /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update
  $SUDO apt-get install -y python3-torch python3-torchvision python3-onnx dataset-fashion-mnist
fi
mkdir -p build
exec /usr/bin/python3 train.py "$@"
