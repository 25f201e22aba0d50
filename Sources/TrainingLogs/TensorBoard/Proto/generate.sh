#!/usr/bin/env bash
# Regenerates ../Generated/*.pb.swift from the upstream TensorBoard protocol definitions.
#
#   pip install tensorboard==2.21.0          # the upstream definitions, compiled into the package
#   apt-get install -y protobuf-compiler     # protoc (3.21.12 was used)
#   (cd <swift-protobuf 1.39.0 checkout> && swift build -c release --product protoc-gen-swift)
#   PROTOC_GEN_SWIFT=<checkout>/.build/release/protoc-gen-swift bash generate.sh
#
# Step 1 exports the descriptors of tensorboard/compat/proto/event.proto and its imports from the
# installed `tensorboard` package into tensorboard-event.protoset (committed, so step 2 alone can
# be rerun without Python). Step 2 runs protoc on that set with swift-protobuf's generator; the
# generated types stay internal to TrainingLogs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
output="$here/../Generated"
plugin="${PROTOC_GEN_SWIFT:-$(command -v protoc-gen-swift)}"

if [[ "${1:-}" != "--skip-export" ]]; then
    python3 "$here/export_descriptors.py" "$here/tensorboard-event.protoset"
fi

files=(
    tensorboard/compat/proto/histogram.proto
    tensorboard/compat/proto/tensor_shape.proto
    tensorboard/compat/proto/types.proto
    tensorboard/compat/proto/resource_handle.proto
    tensorboard/compat/proto/tensor.proto
    tensorboard/compat/proto/summary.proto
    tensorboard/compat/proto/event.proto
)
rm -f "$output"/*.pb.swift
mkdir -p "$output"
protoc --plugin=protoc-gen-swift="$plugin" \
    --descriptor_set_in="$here/tensorboard-event.protoset" \
    --swift_opt=Visibility=Internal --swift_opt=FileNaming=DropPath \
    --swift_out="$output" "${files[@]}"
ls "$output"
