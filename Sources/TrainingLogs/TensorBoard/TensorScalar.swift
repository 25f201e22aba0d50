/// The number a one-element tensor holds, as TF2's `tf.summary.scalar` and tensorboard's own
/// writers store scalars: in the typed field for its dtype (`float_val`, `double_val`, …) or as
/// raw little-endian bytes in `tensor_content`.
enum TensorScalar {
    /// The tensor's single value; nil when it holds more or fewer than one element, or a type that
    /// is not a number.
    static func value(of tensor: Tensorboard_TensorProto) -> Double? {
        var elementCount = 1
        for dimension in tensor.tensorShape.dim {
            guard dimension.size >= 0 else { return nil }
            let (product, overflow) = elementCount.multipliedReportingOverflow(by: Int(dimension.size))
            guard !overflow else { return nil }
            elementCount = product
        }
        guard elementCount == 1 else { return nil }
        let content = [UInt8](tensor.tensorContent)
        switch tensor.dtype {
        case .dtFloat:
            if let value = tensor.floatVal.first { return Double(value) }
            return littleEndian(content, width: 4).map { Double(Float(bitPattern: UInt32(truncatingIfNeeded: $0))) }
        case .dtDouble:
            if let value = tensor.doubleVal.first { return value }
            return littleEndian(content, width: 8).map { Double(bitPattern: $0) }
        case .dtHalf:
            if let bits = tensor.halfVal.first { return halfPrecision(UInt16(truncatingIfNeeded: bits)) }
            return littleEndian(content, width: 2).map { halfPrecision(UInt16(truncatingIfNeeded: $0)) }
        case .dtBfloat16:
            if let bits = tensor.halfVal.first { return Double(Float(bitPattern: UInt32(UInt16(truncatingIfNeeded: bits)) << 16)) }
            return littleEndian(content, width: 2).map { Double(Float(bitPattern: UInt32(truncatingIfNeeded: $0) << 16)) }
        case .dtInt8, .dtInt16, .dtInt32, .dtUint8, .dtUint16:
            if let value = tensor.intVal.first { return Double(value) }
            return nil
        case .dtInt64:
            if let value = tensor.int64Val.first { return Double(value) }
            return littleEndian(content, width: 8).map { Double(Int64(bitPattern: $0)) }
        default:
            return nil
        }
    }

    /// The first `width` bytes of `content` as a little-endian integer; nil unless exactly that many.
    private static func littleEndian(_ content: [UInt8], width: Int) -> UInt64? {
        guard content.count == width else { return nil }
        var value: UInt64 = 0
        for byte in content.reversed() { value = value << 8 | UInt64(byte) }
        return value
    }

    /// An IEEE 754 half-precision number from its bits (not every platform has `Float16`).
    static func halfPrecision(_ bits: UInt16) -> Double {
        let sign: Double = bits & 0x8000 != 0 ? -1 : 1
        let exponent = Int((bits >> 10) & 0x1F)
        let fraction = Double(bits & 0x3FF)
        switch exponent {
        case 0: return sign * fraction * 0x1p-24
        case 31: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction / 1024) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }
}
