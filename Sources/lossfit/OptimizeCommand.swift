import ArgumentParser
import Foundation
import LossFitReports
import LossFitWorkflows
import ScalingLaws

struct Optimize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find the schedule with the lowest predicted final loss: the best member of a family, or a free non-increasing schedule.")

    @OptionGroup var fit: FitFileOption

    @Option(help: "The family to search (decay fraction, shape and end LR for wsd; end LR for cosine and linear; variant and end LR for rex).")
    var family: ScheduleSearch.Family = .wsd

    @Option(name: .customLong("decay-range"), help: ArgumentHelp(
        "WSD decay lengths to search, as fractions of --total: every 0.05 from LOW to HIGH (finer for a range narrower than 0.2); 0 < LOW ≤ HIGH ≤ 1, and a decay longer than the steps after warmup becomes all of them.",
        valueName: "LOW...HIGH"))
    var decayRange: DecayRange = DecayRange(ScheduleSearch.defaultDecayFractions)

    @Flag(help: "Optimise every step's LR freely (non-increasing after warmup) by projected gradient.")
    var free = false

    @Option(help: ArgumentHelp("Total steps.", valueName: "T"))
    var total: Int

    @Option(help: ArgumentHelp("Peak learning rate.", valueName: "LR"))
    var peak: Double

    @Option(help: ArgumentHelp("Warmup steps.", valueName: "W"))
    var warmup: Int = 0

    @Option(name: .customLong("min-lr"), help: ArgumentHelp("Lowest LR the free schedule may use.", valueName: "LR"))
    var minimumLearningRate: Double = 0

    @Option(help: "How many of the best candidates to list.")
    var top: Int = 10

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write the best schedule's per-step LR here (CSV step,lr; usable as table:FILE; - for standard output).", valueName: "FILE.csv"))
    var output: String?

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func validate() throws {
        if decayRange.fractions != ScheduleSearch.defaultDecayFractions && family != .wsd && !free {
            throw ValidationError("--decay-range applies to --family wsd (and the WSD start of --free); \(family.rawValue) has no decay phase")
        }
    }

    func run() throws {
        // With -o -, standard output holds the written file alone and the results go to standard error.
        let print = ResultPrinter(outputs: output)
        let result = try FitFile.read(fit.path)
        warnIfNotIdentified(result, source: fit.path)
        let request = ScheduleOptimizationRequest(family: free ? nil : family, totalSteps: total, peak: peak, warmupSteps: warmup,
                                                  minimumLearningRate: minimumLearningRate, top: top, decayFractions: decayRange.fractions)
        let optimization: ScheduleOptimization
        do {
            optimization = try ScheduleOptimization(result, request: request)
        } catch ScheduleOptimizationError.freeSearchNeedsGradient(let law) {
            throw CommandError("\(fit.path): --free needs the annealing law's gradient and this is a \(law.rawValue) fit; refit with --law annealing, or search a family (--family)")
        }
        if let output {
            let rows = optimization.learningRates.enumerated().map { "\($0.offset),\($0.element)" }
            try OutputFile.write((["step,lr"] + rows).joined(separator: "\n").appending("\n"), to: output)
        }
        if json {
            print(try JSONCoding.string(optimization, fitIdentification: result.identification))
            return
        }
        let checkRanks = optimization.checkRanks
        var table = TextTable(headers: ["rank", "schedule", "final loss", "95 % band", "vs best", "settled?", "extrapolates"]
                              + (checkRanks == nil ? [] : ["check's rank"]))
        for (rank, candidate) in optimization.candidates.enumerated() {
            let final = optimization.finalLosses[rank]
            let difference = optimization.verdicts.differenceFromBest(rank)
            table.append(["\(rank + 1)", candidate.spec, NumberFormat.fixed(candidate.finalLoss, decimals: 5),
                          NumberFormat.band(final.band95),
                          difference?.cellText ?? "best", optimization.verdicts.isSettledAgainstBest(rank) ? "yes" : "no",
                          final.extrapolation?.summary ?? ""]
                         + (checkRanks.map { [$0[candidate.spec].map { "\($0)" } ?? "—"] } ?? []))
        }
        print(table.render())
        print("95 % band = \(BandText.contents(result)).")
        print(BandText.settledLegend(result))
        for line in BandText.branchAdvice(optimization.verdicts, names: optimization.candidates.map(\.spec)) { print(line) }
        if let check = result.rankingCheck, let checkBest = optimization.rankingCheckBest {
            print("check's rank = the candidate's rank under the ranking check (\(check.label), fitted to the same curves); a candidate ranked high here and low there is not settled by the data (README, \"Checking a ranking\").")
            if checkBest.spec != optimization.best.spec { printNote("the ranking check puts another candidate first: \(checkBest.spec)") }
        }
        for member in optimization.memberBests ?? [] where member.best.spec != optimization.best.spec {
            printNote("\(member.member) alone puts another candidate first: \(member.best.spec)")
        }
        let gain = optimization.gainOverBaseline
        if free || family == .wsd {
            let fractions = ScheduleSearch.decayFractionGrid(decayRange.fractions)
            print("WSD decays searched: \(fractions.count) lengths from \(decayRange.text(fractions.first ?? 0)) to \(decayRange.text(fractions.last ?? 0)) of the \(total) steps (--decay-range \(decayRange)).")
        }
        print("best vs \(optimization.baseline): \(gain.cellText) (95 %) in final loss, \(gain.isSettled ? "settled" : "not settled: the interval includes 0, the data do not say the best beats it")")
        if let output { print("wrote \(OutputFile.displayName(output))" + (output == OutputFile.standardOutput ? "" : " (use it as --schedule table:\(output))")) }
        for warning in optimization.warnings { printNote(warning) }
    }
}

extension ScheduleSearch.Family: ExpressibleByArgument {}

/// A range of decay fractions written LOW...HIGH (or LOW..HIGH), 0 < LOW ≤ HIGH ≤ 1.
struct DecayRange: ExpressibleByArgument, CustomStringConvertible {
    var fractions: ClosedRange<Double>

    init(_ fractions: ClosedRange<Double>) {
        self.fractions = fractions
    }

    init?(argument: String) {
        let separator = argument.contains("...") ? "..." : ".."
        let parts = argument.components(separatedBy: separator).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let low = Double(parts[0]), let high = Double(parts[1]), low > 0, low <= high, high <= 1 else { return nil }
        fractions = low...high
    }

    var description: String { "\(text(fractions.lowerBound))...\(text(fractions.upperBound))" }

    func text(_ fraction: Double) -> String { String(format: "%g", fraction) }

    var defaultValueDescription: String { description }
}
