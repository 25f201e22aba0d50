"""Writes the upstream TensorBoard definitions of event.proto and everything it imports as one
binary FileDescriptorSet (tensorboard-event.protoset), taken from the descriptors compiled into
the `tensorboard` package on PyPI (tensorboard/compat/proto/*.proto, the same definitions as
TensorFlow's core/framework and core/util protos)."""
import sys

from google.protobuf import descriptor_pb2
from tensorboard.compat.proto import event_pb2

ordered = []


def add_with_dependencies(file_descriptor):
    for dependency in file_descriptor.dependencies:
        add_with_dependencies(dependency)
    if file_descriptor.name not in [item.name for item in ordered]:
        ordered.append(file_descriptor)


add_with_dependencies(event_pb2.DESCRIPTOR)
descriptor_set = descriptor_pb2.FileDescriptorSet()
for file_descriptor in ordered:
    file_descriptor.CopyToProto(descriptor_set.file.add())
with open(sys.argv[1], "wb") as output:
    output.write(descriptor_set.SerializeToString())
for file_descriptor in ordered:
    print(file_descriptor.name)
