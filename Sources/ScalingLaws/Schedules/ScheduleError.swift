/// Why a learning-rate schedule spec or value is not valid.
public enum ScheduleError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The spec does not start with a known family name.
    case unknownFamily(String, known: [String])
    /// A `key=value` item is not of that form.
    case malformedItem(String)
    /// A key the family does not take.
    case unknownKey(String, family: String, valid: [String])
    /// A key given twice (`peak=1,peak=2`, or a key and its alias, `peak` and `lr`).
    case repeatedKey(String, family: String)
    /// A step count that is not a whole number (`warmup=2.5`).
    case notWholeSteps(key: String, value: String)
    /// A required key is missing.
    case missingKey(String, family: String)
    /// A value could not be read as a number of the required kind.
    case notANumber(key: String, value: String)
    /// A value that must be a learning rate, a fraction or a factor was written with a k/M/B suffix,
    /// which only steps and counts take.
    case suffixOnNonCount(key: String, value: String)
    /// A learning rate below zero.
    case negativeLearningRate(key: String, value: Double)
    /// An unknown decay shape.
    case unknownShape(String, known: [String])
    /// Lengths that do not fit together (decay longer than training, warmup past the end, ...).
    case inconsistent(String)
    /// A geometric cooldown was asked for with an end learning rate of 0 (it interpolates log η).
    case geometricCooldownNeedsEnd
    /// A step count (`total`, a plan's `budget`) beyond `Schedule.maximumSteps`; `value` as given.
    case tooManySteps(key: String, value: String)
    /// A `step,lr` table lists a step beyond `Schedule.maximumSteps` at `line`.
    case tableTooLong(file: String, line: Int, step: Int)

    /// What `tooManySteps` and `tableTooLong` say about the limit and what to do.
    static var limitAdvice: String {
        "a schedule may have at most \(Schedule.maximumStepsText) steps (the learning rate of every step is held in memory); "
            + "count the run in coarser steps (e.g. units of 10 steps: divide every step count by 10) or use a shorter horizon"
    }

    public var description: String {
        switch self {
        case .unknownFamily(let name, let known):
            return "unknown schedule family \"\(InputExcerpt.quoted(name))\"; use one of: \(known.joined(separator: ", ")) (e.g. cosine:peak=3e-4,end=3e-5,warmup=2000,total=24000)"
        case .malformedItem(let item):
            return "schedule item \"\(InputExcerpt.quoted(item))\" is not key=value; write items as key=value separated by commas"
        case .unknownKey(let key, let family, let valid):
            return "\(family) schedules take no \"\(InputExcerpt.quoted(key))\"; valid keys: \(valid.joined(separator: ", "))"
        case .repeatedKey(let key, let family):
            return "\(family) schedule: \(key) is given twice; give each key once"
        case .notWholeSteps(let key, let value):
            return "schedule value \(key)=\(InputExcerpt.quoted(value)) is not a whole number of steps; give a count of steps such as \(key)=2000"
        case .missingKey(let key, let family):
            return "\(family) schedule needs \(key)=…"
        case .notANumber(let key, let value):
            return "schedule value \(key)=\(InputExcerpt.quoted(value)) is not a valid number"
        case .suffixOnNonCount(let key, let value):
            return "schedule value \(key)=\(InputExcerpt.quoted(value)): k, M, B suffixes are for steps and counts (total=35k, warmup=2k); \(key) is a learning rate, fraction or factor, so write it as a plain number (e.g. 3e-4, 0.2)"
        case .negativeLearningRate(let key, let value):
            return "schedule \(key)=\(value) is a negative learning rate; learning rates must be ≥ 0"
        case .unknownShape(let shape, let known):
            return "unknown decay shape \"\(InputExcerpt.quoted(shape))\"; use one of: \(known.joined(separator: ", "))"
        case .inconsistent(let message):
            return message
        case .geometricCooldownNeedsEnd:
            return "a geometric cooldown needs an end LR above 0; give one, or leave out the geometric shape"
        case .tooManySteps(let key, let value):
            return "\(key)=\(InputExcerpt.quoted(value)): \(Self.limitAdvice)"
        case .tableTooLong(let file, let line, let step):
            return "table:\(file):\(line): step \(step): \(Self.limitAdvice)"
        }
    }
}
