import Foundation
import SwiftProtobuf

/// Writes scalars as a TensorBoard event file, the way tensorboardX and `torch.utils.tensorboard`
/// do: a `file_version` event, then one event per scalar with a `simple_value`, each framed as a
/// TFRecord. For exporting curves to TensorBoard, and for making test and benchmark inputs.
public struct TensorBoardEventWriter: Sendable {
    /// The file's bytes so far.
    public private(set) var bytes: [UInt8] = []

    /// A writer whose file starts with the `brain.Event:2` version record, as every writer's does.
    public init(wallTime: Double = 0) {
        var event = Tensorboard_Event()
        event.wallTime = wallTime
        event.fileVersion = "brain.Event:2"
        append(event)
    }

    /// Adds one scalar event; TensorBoard stores `simple_value` as a 32-bit float.
    public mutating func addScalar(tag: String, value: Float, step: Int64, wallTime: Double = 0) {
        var summaryValue = Tensorboard_Summary.Value()
        summaryValue.tag = tag
        summaryValue.simpleValue = value
        var event = Tensorboard_Event()
        event.wallTime = wallTime
        event.step = step
        event.summary.value = [summaryValue]
        append(event)
    }

    private mutating func append(_ event: Tensorboard_Event) {
        // Serializing a message built from plain fields cannot fail.
        let payload: [UInt8] = (try? event.serializedBytes()) ?? []
        var header = [UInt8](repeating: 0, count: 8)
        for index in 0..<8 { header[index] = UInt8(truncatingIfNeeded: UInt64(payload.count) >> (8 * UInt64(index))) }
        bytes += header
        bytes += littleEndian(CRC32C.masked(CRC32C.checksum(header)))
        bytes += payload
        bytes += littleEndian(CRC32C.masked(CRC32C.checksum(payload)))
    }

    private func littleEndian(_ value: UInt32) -> [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * UInt32($0))) }
    }
}
