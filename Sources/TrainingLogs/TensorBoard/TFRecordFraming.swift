/// TFRecord framing, the container of TensorBoard event files: each record is
///
///     uint64 length, little-endian
///     uint32 masked CRC-32C of those 8 bytes
///     length bytes of payload (a serialized `Event`)
///     uint32 masked CRC-32C of the payload
enum TFRecordFraming {
    static let headerLength = 12
    static let footerLength = 4

    /// True when `prefix` starts with a record header whose length passes its CRC check: a
    /// TFRecord file, whatever its name.
    static func startsWithValidHeader(_ prefix: [UInt8]) -> Bool {
        guard prefix.count >= headerLength else { return false }
        return prefix.withUnsafeBufferPointer { isValidHeader($0.baseAddress!) }
    }

    static func isValidHeader(_ header: UnsafePointer<UInt8>) -> Bool {
        CRC32C.masked(CRC32C.checksum(header, count: 8)) == readUInt32(header + 8)
    }

    static func readUInt64(_ bytes: UnsafePointer<UInt8>) -> UInt64 {
        var value: UInt64 = 0
        for index in (0..<8).reversed() { value = value << 8 | UInt64(bytes[index]) }
        return value
    }

    static func readUInt32(_ bytes: UnsafePointer<UInt8>) -> UInt32 {
        UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24
    }
}
