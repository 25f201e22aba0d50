import Foundation
import TestSupport
import Testing

/// `report`: one self-contained HTML page, checked as text and rendered by headless Chromium.
@Suite struct ReportCommandTests {
    static let schedules = ["cosine:peak=0.6,end=0.06,warmup=200,total=20000", "wsd:peak=0.6,end=0,warmup=200,total=20000,decay=0.2,shape=1-sqrt"]

    /// Fits the training logs, then writes a report of that fit with two unseen runs and two schedules.
    static func writeReport(in directory: URL) throws -> URL {
        let fit = directory.appendingPathComponent("fit.json").path
        _ = try runSucceeding(["fit", "--no-baselines", "-o", fit] + BundledLogs.paths(BundledLogs.training))
        let page = directory.appendingPathComponent("report.html")
        let output = try runSucceeding(["report", "--fit", fit, "-o", page.path] + BundledLogs.paths(BundledLogs.training + Array(BundledLogs.unseen.prefix(2)))
                                       + schedules.flatMap { ["--predict", $0] })
        #expect(output.stdout.contains("wrote \(page.path)"))
        return page
    }

    /// The SVG documents inside `html`, in order.
    static func svgs(in html: String) -> [String] {
        html.components(separatedBy: "<svg ").dropFirst().map { "<svg " + $0.components(separatedBy: "</svg>")[0] + "</svg>" }
    }

    @Test func pageHoldsTablesAndWellFormedPlots() throws {
        try withTemporaryDirectory { directory in
            let html = try String(contentsOf: Self.writeReport(in: directory), encoding: .utf8)
            #expect(!html.contains("<script"))
            for heading in ["Fit", "Predicting unseen runs", "The last steps, by horizon", "Schedules nobody ran", "Plan"] {
                #expect(html.contains("<h2>\(heading)</h2>"), "no section \(heading)")
            }
            for name in BundledLogs.training + BundledLogs.unseen.prefix(2) { #expect(html.contains("<td class=\"text\">\(name)</td>"), "no row for \(name)") }
            let figures = Self.svgs(in: html)
            #expect(figures.count == 7, "fit, unseen runs, the tails of 16000, 20000 and 40000 steps, schedules, predictions")
            let inspected = try figures.map(SVGInspection.init)
            // Fit and unseen-run figures: one law line per curve; each tail: one per run of that horizon
            // (twostage_0.2; cosine_20000, constant_20000, wsd_linear_20000; cosine_40000); schedules and predictions: one per schedule.
            #expect(inspected.map { $0.linePaths.count } == [3, 2, 1, 3, 1, 2, 2])
            // Runs of several horizons carry theirs in the legend; the fit window is marked.
            #expect(inspected[0].texts.contains("cosine_20000, ends 20000 (law)") && inspected[0].texts.contains("residual %"))
            #expect(inspected[0].texts.contains("fit window: steps 200–20000") && inspected[1].texts.contains("fit window: steps 200–20000"))
            #expect(inspected[3].texts.contains("Runs ending at step 20000: the last 20 %") && inspected[3].texts.contains("wsd_linear_20000, unseen (law)"))
            #expect(inspected[5].texts.contains("learning rate") && inspected[5].texts.contains { $0.hasPrefix("cosine:peak=0.6") })
        }
    }

    /// A cooldown plan asked of the report gets its section with a figure of the best options;
    /// the three plan options go together.
    @Test func aPlanAskedOfTheReportGetsItsSection() throws {
        try withTemporaryDirectory { directory in
            let fit = directory.appendingPathComponent("fit.json").path
            _ = try runSucceeding(["fit", "--no-baselines", "--law", "annealing", "-o", fit] + BundledLogs.paths(BundledLogs.training))
            let page = directory.appendingPathComponent("plan.html")
            let plan = ["--plan-run", "constant:peak=0.6,warmup=200,total=20000", "--plan-budget", "20000", "--plan-checkpoints", "12000,16000"]
            try runSucceeding(["report", "--fit", fit, "-o", page.path] + plan)
            let html = try String(contentsOf: page, encoding: .utf8)
            #expect(html.contains("<h2>Plan</h2>"))
            // 2 checkpoints × default lengths within 20000 (1000, 2000, 3000, 4000, 6000 from 12000; the first four from 16000) × 3 shapes (geometric cannot reach the end LR 0).
            #expect(html.contains("Cooldown options for the run in progress: 27 options (checkpoint × length × shape) within 20000 steps, each decaying to LR 0 (left out: geometric, which decays the log of the LR and cannot reach 0); the best 10:"))
            #expect(Self.svgs(in: html).contains { $0.contains("Predicted loss of the best 3 cooldown options (95 % band)") })
            let partial = try CLIRunner.run(["report", "--fit", fit, "-o", page.path, "--plan-budget", "20000"])
            #expect(partial.status != 0 && partial.stderr.contains("a plan needs all three of --plan-run SPEC, --plan-budget T and --plan-checkpoints STEPS"))
        }
    }

    @Test func demoWritesTheReport() throws {
        let names = BundledLogs.demoInputs
        let sources = try BundledLogs.paths(names)
        try withTemporaryDirectory { directory in
            let data = directory.appendingPathComponent("data")
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
            for (name, source) in zip(names, sources) {
                try FileManager.default.copyItem(atPath: source, toPath: data.appendingPathComponent("\(name).csv").path)
            }
            let output = try runSucceeding(["demo", "--report", "demo.html"], in: directory)
            #expect(output.stdout.contains("demo.html"))
            let html = try String(contentsOf: directory.appendingPathComponent("demo.html"), encoding: .utf8)
            // Fit, unseen runs, the tails of 3 horizons, schedules, predictions; the sweep's landscape, batch law and LR-law check.
            #expect(Self.svgs(in: html).count == 10)
            #expect(html.contains("Learning rate and batch size"))
        }
    }

    @Test func unwritableOutputIsOneLineError() throws {
        let output = try CLIRunner.run(["report", "-o", "/nonexistent-directory/report.html"] + BundledLogs.paths(BundledLogs.training))
        #expect(output.status != 0)
        let lines = output.stderr.split(separator: "\n").filter { $0.hasPrefix("Error:") }
        #expect(lines.count == 1 && lines[0].contains("cannot write /nonexistent-directory/report.html"), "\(output.stderr)")
    }

    /// Headless Chromium renders the report: exit status 0, a screenshot with content, the SVGs in
    /// the DOM, and no page errors on stderr (its GPU and D-Bus chatter is not about the page).
    @Test(.enabled(if: Chromium.shouldRun)) func chromiumRendersTheReport() throws {
        let chromium = try #require(Chromium.executable, "LOSSFIT_REQUIRE_CHROMIUM=1 but no chromium on PATH; install it: apt-get install -y chromium")
        try withTemporaryDirectory { directory in
            let page = try Self.writeReport(in: directory)
            let screenshot = directory.appendingPathComponent("report.png")
            let shot = try Chromium.run(chromium, ["--screenshot=\(screenshot.path)", "--window-size=900,2400", page.absoluteString])
            #expect(shot.status == 0, "chromium exited \(shot.status): \(shot.stderr)")
            let png = try Data(contentsOf: screenshot)
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "not a PNG")
            // A blank 900×2400 page compresses to a few kB; text and plots take far more.
            #expect(png.count > 60_000, "screenshot of \(png.count) bytes looks empty")
            let dom = try Chromium.run(chromium, ["--dump-dom", page.absoluteString])
            #expect(dom.status == 0)
            #expect(dom.stdout.components(separatedBy: "<svg ").count - 1 == 7, "the DOM holds every plot")
            #expect(dom.stdout.contains("Schedules nobody ran"))
            for output in [shot, dom] {
                let pageErrors = output.stderr.split(separator: "\n").filter { line in
                    Chromium.pageErrorMarkers.contains { line.contains($0) }
                }
                #expect(pageErrors.isEmpty, "page errors: \(pageErrors)")
            }
        }
    }
}

/// Headless Chromium, when installed.
enum Chromium {
    /// True when `LOSSFIT_REQUIRE_CHROMIUM=1`: the browser test fails instead of skipping without it.
    static let isRequired = ProcessInfo.processInfo.environment["LOSSFIT_REQUIRE_CHROMIUM"] == "1"

    static let executable: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            for name in ["chromium", "chromium-browser", "google-chrome"] {
                let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            }
        }
        return nil
    }()

    static let shouldRun = executable != nil || isRequired

    /// What Chromium writes on stderr about the page itself: console errors, uncaught exceptions,
    /// resources it tried to load (the report must need none).
    static let pageErrorMarkers = ["CONSOLE", "Uncaught", "net::ERR_", "Failed to load resource"]

    /// Runs headless Chromium with `arguments`, logging console messages to stderr. No sandbox: CI
    /// runs as root; no network: every resource must be inline.
    static func run(_ executable: URL, _ arguments: [String]) throws -> CLIRunner.Output {
        try CLIRunner.run(executable, ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--enable-logging=stderr",
                                       "--host-resolver-rules=MAP * ~NOTFOUND"] + arguments)
    }
}

/// `--plot` on fit, predict and compare.
@Suite struct TerminalPlotTests {
    @Test func fitPredictAndComparePlot() throws {
        try withTemporaryDirectory { directory in
            let fit = directory.appendingPathComponent("fit.json").path
            let fitted = try runSucceeding(["fit", "--no-baselines", "--plot", "-o", fit] + BundledLogs.paths(Array(BundledLogs.training.prefix(2))))
            #expect(fitted.stdout.contains("• cosine_20000 (logged)") && fitted.stdout.contains("× cosine_20000 (law)"))
            #expect(fitted.stdout.contains("└"))
            let predicted = try runSucceeding(["predict", "--fit", fit, "--plot", "--schedule", ReportCommandTests.schedules[0]])
            #expect(predicted.stdout.contains("predicted loss") && predicted.stdout.contains("└"))
            let compared = try runSucceeding(["compare", "--fit", fit, "--plot"] + ReportCommandTests.schedules)
            #expect(compared.stdout.contains("• 1. ") && compared.stdout.contains("+ 2. "))
            let refused = try CLIRunner.run(["predict", "--fit", fit, "--plot", "--format", "csv", "--schedule", ReportCommandTests.schedules[0]])
            #expect(refused.status != 0 && refused.stderr.contains("--plot goes with"))
        }
    }
}
