import ArgumentParser
import LossFitWorkflows
import ScalingLaws

extension MultiPowerFitOptions.DropAmplitude: ExpressibleByArgument {}

enum LawName: String, ExpressibleByArgument, CaseIterable {
    case committee
    case annealing
    case multiPower = "multi-power"
    case exponential
    case auto

    var choice: LawChoice {
        switch self {
        case .committee: return .committee
        case .annealing: return .annealing
        case .multiPower: return .multiPower
        case .exponential: return .exponential
        case .auto: return .auto
        }
    }
}

enum ObjectiveName: String, ExpressibleByArgument, CaseIterable {
    case huber
    case leastSquares = "least-squares"
}

extension WarmupConvention: ExpressibleByArgument {}

struct LambdaArgument: ExpressibleByArgument {
    var choice: LambdaChoice

    init(_ choice: LambdaChoice) { self.choice = choice }

    init?(argument: String) {
        if argument.lowercased() == "fit" {
            choice = .fit
        } else if let value = Double(argument), value > 0, value < 1 {
            choice = .fixed(value)
        } else {
            return nil
        }
    }

    var defaultValueDescription: String { choice == .fit ? "fit" : "\(choice)" }
}

extension Duration {
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}
