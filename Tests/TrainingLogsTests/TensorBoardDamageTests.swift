import Foundation
import Testing
import TestSupport
import TrainingLogs

/// Damaged event files: records before the damage are kept and the damage is reported with its
/// byte offset; a CRC mismatch is never accepted.
@Suite struct TensorBoardDamageTests {
    /// A real event file (tensorboardX), its record offsets, and the losses it holds.
    private let file = "events.out.tfevents.1700000100.fixture"
    private func original() throws -> [UInt8] { try Fixtures.bytes("tensorboard/tbx/" + file) }

    /// The byte offset of every record, read from the framing.
    private func recordOffsets(_ bytes: [UInt8]) -> [Int] {
        var offsets: [Int] = []
        var position = 0
        while position + 12 <= bytes.count {
            offsets.append(position)
            var length = 0
            for index in (0..<8).reversed() { length = length << 8 | Int(bytes[position + index]) }
            position += 12 + length + 4
        }
        return offsets
    }

    private func read(_ bytes: [UInt8]) throws -> TrainingLog {
        let logs = try TrainingLogReader.parse(bytes, source: "run/" + file)
        try #require(logs.count == 1)
        return logs[0]
    }

    @Test func aTruncatedFileKeepsTheRecordsBeforeTheCut() throws {
        let bytes = try original()
        let offsets = recordOffsets(bytes)
        let whole = try read(bytes)
        // Cut in the middle of the 100th record.
        let cut = offsets[100]
        let log = try read(Array(bytes[..<(cut + 20)]))
        #expect(log.notes == [.truncatedRecord(file: file, byteOffset: cut, recordsKept: 100)])
        #expect(log.notes[0].description
                == "\(file): the file ends inside the record at byte \(cut) (cut off, or still being written); kept the 100 records before it")
        #expect(log.notes[0].isWarning)
        #expect(log.loss.count > 10)
        #expect(log.loss.steps == Array(whole.loss.steps.prefix(log.loss.count)))
        #expect(sameBits(log.loss.values, Array(whole.loss.values.prefix(log.loss.count))))
    }

    @Test func aPayloadCRCMismatchSkipsThatRecordAndReadsOn() throws {
        var bytes = try original()
        let offsets = recordOffsets(bytes)
        let whole = try read(bytes)
        // Flip one bit inside the payload of record 1: train/loss at step 0.
        bytes[offsets[1] + 12 + 5] ^= 0x10
        let log = try read(bytes)
        #expect(log.notes == [.corruptRecords(file: file, firstByteOffset: offsets[1], count: 1)])
        #expect(log.notes[0].description == "\(file): 1 record fails the CRC check of its content (first at byte \(offsets[1])); skipped it and read on")
        #expect(log.loss.steps == Array(whole.loss.steps.dropFirst()))
        #expect(sameBits(log.loss.values, Array(whole.loss.values.dropFirst())))
    }

    @Test func aHeaderCRCMismatchEndsTheFileThere() throws {
        var bytes = try original()
        let offsets = recordOffsets(bytes)
        bytes[offsets[50]] ^= 0x01
        let log = try read(bytes)
        #expect(log.notes == [.corruptRecordLength(file: file, byteOffset: offsets[50], recordsKept: 50, bytesIgnored: bytes.count - offsets[50])])
        #expect(log.notes[0].description
                == "\(file): the record header at byte \(offsets[50]) fails its CRC check, so the file is damaged there; kept the 50 records before it and ignored the remaining \(bytes.count - offsets[50]) bytes")
    }

    @Test func aFileDamagedAtTheStartIsAnError() throws {
        var bytes = try original()
        bytes[3] ^= 0xFF
        let expected = LogReadError.damagedEventFile(file: "run/" + file, byteOffset: 0, problem: "the record header fails its CRC check")
        #expect(throws: expected) { try read(bytes) }
        #expect(expected.description == "run/\(file): byte 0: the record header fails its CRC check; no record could be read before it")
        #expect(throws: LogReadError.damagedEventFile(file: "run/" + file, byteOffset: 0, problem: "the file ends inside the first record")) {
            try read(Array(bytes.prefix(7)))
        }
        #expect(throws: LogReadError.emptyFile(file: "run/" + file)) { try read([]) }
    }

    @Test func aRecordThatIsNotAnEventIsSkipped() throws {
        var writer = TensorBoardEventWriter()
        writer.addScalar(tag: "loss", value: 3, step: 1)
        var bytes = writer.bytes
        let garbageOffset = bytes.count
        bytes += Self.record([0xFF, 0xFF, 0xFF])
        var more = TensorBoardEventWriter()
        more.addScalar(tag: "loss", value: 2.5, step: 2)
        bytes += more.bytes
        let log = try read(bytes)
        #expect(log.loss.steps == [1, 2])
        #expect(log.notes == [.undecodableRecords(file: file, firstByteOffset: garbageOffset, count: 1)])
        #expect(log.notes[0].description == "\(file): 1 record is not a TensorBoard event (first at byte \(garbageOffset)); skipped it and read on")
    }

    @Test func negativeStepsAndLearningRates() throws {
        var writer = TensorBoardEventWriter()
        writer.addScalar(tag: "loss", value: 3, step: -5)
        writer.addScalar(tag: "loss", value: 2.5, step: 2)
        let log = try read(writer.bytes)
        #expect(log.loss.steps == [2])
        #expect(log.skipped == [SkippedRows(reason: "negative step", count: 1, firstLocation: .byte(31, file: file))])
        #expect(log.skipped[0].description == "1 record with negative step (first at byte 31 of \(file))")

        writer.addScalar(tag: "lr", value: -1e-4, step: 3)
        let expected = LogReadError.negativeLearningRateInRecord(file: file, byteOffset: 106, tag: "lr", value: Double(Float(-1e-4)))
        #expect(throws: expected) { try read(writer.bytes) }
        #expect(expected.description == ("\(file): byte 106: tag \"lr\": negative learning rate -9.999999747378752e-05; learning rates must be ≥ 0"))
    }

    @Test func noLossTagListsTheTagsFound() throws {
        var writer = TensorBoardEventWriter()
        writer.addScalar(tag: "accuracy", value: 0.5, step: 1)
        let expected = LogReadError.noLossSeries(file: "run/" + file, found: ["accuracy"], noun: "tag")
        #expect(throws: expected) { try read(writer.bytes) }
        #expect(expected.description == "no loss series in run/\(file); tags found: accuracy; name the loss tag")
    }

    /// A TFRecord around `payload` with valid CRCs.
    static func record(_ payload: [UInt8]) -> [UInt8] {
        let header = (0..<8).map { UInt8(truncatingIfNeeded: UInt64(payload.count) >> (8 * UInt64($0))) }
        func masked(_ bytes: [UInt8]) -> [UInt8] {
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in bytes {
                crc ^= UInt32(byte)
                for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
            }
            crc = ~crc
            let value = ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
            return (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * UInt32($0))) }
        }
        return header + masked(header) + payload + masked(payload)
    }
}
