import ArgumentParser
import Foundation
import LossFitWorkflows

struct Evidence: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run every real family's protocol with the default fit and print the evidence behind the defaults.",
        discussion: """
            Families: MPL 25M and 100M (fit cosine_24000, constant_24000, wsdcon_9; predict the other six) and the 124M
            runs at peaks 2e-3 and 1e-4 (fit constant_50000 to step 25000 and wsd_linear_0.2_25000 from step 2000; predict
            every other run but the re-runs from step 2000). Each family is fitted once with the default committee; the
            committee's median, each member alone and two equal averages of members predict its held-out runs. Cells:
            mean held-out PredE / Spearman ρ of the final losses / worst final-loss error. The simulated runs of --data are
            shown apart: they decide nothing. A family whose logs are missing is reported as skipped.
            """)

    @Option(name: .customLong("shared"), help: ArgumentHelp("The shared data directory, holding mpl/ and epfl124m/.", valueName: "DIR"))
    var shared = "../shared/data"

    @Option(name: .customLong("data"), help: ArgumentHelp("Directory of the simulated example logs (shown apart; skipped when absent).", valueName: "DIR"))
    var data = BundledData.directory

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Flag(help: "Print the tables as Markdown, as in the README.")
    var markdown = false

    func validate() throws {
        if json && markdown { throw ValidationError("--json and --markdown each choose the output; give one") }
    }

    func run() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: shared, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CommandError("\(shared): no shared data directory here; run lossfit from the project's root with ../shared beside it, or give --shared DIR (the directory holding mpl/ and epfl124m/)")
        }
        let families = EvidenceFamily.real(sharedData: shared) + [EvidenceFamily.simulated(directory: data)]
        // The windows are the protocols', printed with the table; what reading a log skipped or replaced is told.
        let evidence = try DefaultsEvidence(families: families, report: { if case .read = $0 { Console.report($0) } }, starting: { family in
            printNote("\(family.name): fitting \(family.fitted.count) logs")
        })
        print(json ? try JSONCoding.string(evidence) : evidence.text(markdown: markdown))
    }
}
