import Foundation
import ScalingLaws

/// Reading and writing FIT.json.
enum FitFile {
    static func write(_ result: FitResult, to path: String) throws {
        let data = try JSONOutput.encoder.encode(result)
        do {
            try data.write(to: URL(fileURLWithPath: path))
        } catch {
            throw FitFileError.unwritable(path: path, reason: error.localizedDescription)
        }
    }

    static func read(_ path: String) throws -> FitResult {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FitFileError.unreadable(path: path)
        }
        do {
            return try JSONOutput.decoder.decode(FitResult.self, from: data)
        } catch {
            throw FitFileError.invalid(path: path)
        }
    }
}

enum FitFileError: Error, CustomStringConvertible {
    case unreadable(path: String)
    case unwritable(path: String, reason: String)
    case invalid(path: String)

    var description: String {
        switch self {
        case .unreadable(let path): return "\(path): cannot read the fit file; check the path (write one with lossfit fit -o \(path))"
        case .unwritable(let path, let reason): return "\(path): cannot write the fit file: \(reason)"
        case .invalid(let path): return "\(path): not a fit written by lossfit fit -o; refit to make one"
        }
    }
}

/// JSON as every command prints it: sorted keys, pretty-printed.
enum JSONOutput {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }()

    static func string(_ value: some Encodable) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
