import Foundation
import TestSupport
import Testing

/// `export-notebook`: a notebook nbformat accepts, with its plots and data beside it.
@Suite struct NotebookExportTests {
    @Test func notebookHasNarrativePlotsAndDataCells() throws {
        try withTemporaryDirectory { directory in
            let notebook = directory.appendingPathComponent("out/analysis.ipynb")
            _ = try runSucceeding(["export-notebook", "-o", notebook.path, "--title", "Worked example"] + BundledLogs.paths(BundledLogs.training)
                                  + ["--predict", ReportCommandTests.schedules[0]])
            let json = try jsonObject(contentsOf: notebook)
            #expect(json["nbformat"] as? Int == 4)
            let cells = try #require(json["cells"] as? [[String: Any]])
            let source = { (cell: [String: Any]) in ((cell["source"] as? [String]) ?? []).joined() }
            #expect(cells.first.map(source)?.hasPrefix("# Worked example") == true)
            let outputs = cells.flatMap { ($0["outputs"] as? [[String: Any]]) ?? [] }
            let svgs = outputs.compactMap { (($0["data"] as? [String: Any])?["image/svg+xml"] as? [String])?.joined() }
            #expect(svgs.count == 5, "fit, the tails of the 16000- and 20000-step runs, schedules, predictions")
            for svg in svgs { _ = try SVGInspection(svg) }
            // The files the loading cell names are beside the notebook.
            let loading = try #require(cells.map(source).first { $0.contains("data = {}") })
            for file in ["fitted-curves.csv", "schedule-predictions.csv", "fit.json"] {
                #expect(loading.contains("load(\"\(file)\")"))
                #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("out/\(file)").path), "no \(file)")
            }
            for figure in ["fit", "schedules", "predictions"] {
                #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("out/\(figure).svg").path))
            }
        }
    }

    /// PyPI's nbformat validates the notebook against its schema, and the loading cell runs.
    @Test(.enabled(if: NBFormat.shouldRun)) func nbformatValidatesAndDataReloads() throws {
        let python = try #require(NBFormat.python, "LOSSFIT_REQUIRE_NBFORMAT=1 but no python3 with nbformat; install it: apt-get install -y python3-nbformat")
        try withTemporaryDirectory { directory in
            let notebook = directory.appendingPathComponent("analysis.ipynb")
            let fit = directory.appendingPathComponent("fit.json").path
            _ = try runSucceeding(["fit", "--no-baselines", "-o", fit] + BundledLogs.paths(BundledLogs.training))
            _ = try runSucceeding(["export-notebook", "--fit", fit, "-o", notebook.path] + BundledLogs.paths(BundledLogs.training + [BundledLogs.unseen[0]])
                                  + ["--predict", ReportCommandTests.schedules[1]])
            let script = """
                import json, nbformat, os
                nb = nbformat.read("analysis.ipynb", as_version=4)
                nbformat.validate(nb)
                cell = next(c for c in nb.cells if c.cell_type == "code" and "data = {}" in c.source)
                exec(cell.source)
                print(len(data["held-out-curves.csv"]), data["fit.json"]["law"])
                """
            let result = try NBFormat.run(python, ["-c", script], in: directory)
            #expect(result.status == 0, "python failed: \(result.stderr)")
            let rows = try LogTable(path: BundledLogs.url(BundledLogs.unseen[0]).path).steps.filter { $0 >= 200 }.count
            #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "\(rows) annealing")
        }
    }
}


/// The worked notebooks in notebooks-export/ and a notebook of a sweep alone.
@Suite struct SweepNotebookTests {
    /// nbformat accepts every committed notebook, and each one's loading cell runs beside its data.
    @Test(.enabled(if: NBFormat.shouldRun)) func committedNotebooksValidate() throws {
        let python = try #require(NBFormat.python, "LOSSFIT_REQUIRE_NBFORMAT=1 but no python3 with nbformat; install it: apt-get install -y python3-nbformat")
        let root = SharedData.packageRoot.appendingPathComponent("notebooks-export")
        let names = ["fit-and-predict", "schedule-search", "sweep-recommendation"]
        for name in names {
            let directory = root.appendingPathComponent(name)
            let script = """
                import json, nbformat
                nb = nbformat.read("\(name).ipynb", as_version=4)
                nbformat.validate(nb)
                cell = next(c for c in nb.cells if c.cell_type == "code" and "data = {}" in c.source)
                exec(cell.source)
                print(len(data))
                """
            let result = try NBFormat.run(python, ["-c", script], in: directory)
            #expect(result.status == 0, "\(name): python failed: \(result.stderr)")
        }
    }

    /// A notebook of the sweep alone: no fit, the sweep's laws and data, the landscape, and a
    /// recommendation for each size asked.
    @Test func aSweepAloneMakesANotebook() throws {
        let sweep = try BundledLogs.paths([BundledLogs.sweep])[0]
        try withTemporaryDirectory { directory in
            let notebook = directory.appendingPathComponent("sweep.ipynb")
            _ = try runSucceeding(["export-notebook", "--sweep", sweep, "--recommend-at", "4000:262144", "--recommend-at", "8k:512k", "-o", notebook.path])
            let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            #expect(!files.contains("fit.json"))
            for file in ["sweep-law.json", "sweep-runs.csv", "sweep-optima.csv", "sweep-landscape.svg", "sweep.ipynb"] {
                #expect(files.contains(file), "no \(file) in \(files)")
            }
            let text = try String(contentsOf: notebook, encoding: .utf8)
            #expect(!text.contains("## Fit"))
            // One recommendation row per size asked, N = 4000 and N = 8000, each saying how far beyond the sweep's largest N (2000) it lies.
            #expect(text.contains("| 4000 (2.00× the sweep's largest) |"), "no row for N = 4000")
            #expect(text.contains("| 8000 (4.00× the sweep's largest) |"), "no row for N = 8000")
            // The runs file holds every run the sweep reader kept (the diverged ones have no loss).
            let rows = try String(contentsOf: directory.appendingPathComponent("sweep-runs.csv"), encoding: .utf8).split(separator: "\n").count - 1
            let lines = try String(contentsOfFile: sweep, encoding: .utf8).split(separator: "\n").dropFirst()
            let finished = lines.filter { !$0.hasSuffix(",,") }.count
            #expect(rows == finished)
        }
    }

    @Test func recommendAtNeedsASweep() throws {
        let output = try CLIRunner.run(["report", "--recommend-at", "4000:262144"] + BundledLogs.paths(BundledLogs.training))
        #expect(output.status != 0)
        #expect(output.stderr.contains("--recommend-at needs the sweep's laws"), "\(output.stderr)")
    }
}

/// A Python with nbformat, when there is one.
enum NBFormat {
    static let isRequired = ProcessInfo.processInfo.environment["LOSSFIT_REQUIRE_NBFORMAT"] == "1"

    /// The first of python3 on PATH and Debian's /usr/bin/python3 that imports nbformat.
    static let python: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let candidates = path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("python3") } + [URL(fileURLWithPath: "/usr/bin/python3")]
        return candidates.first { candidate in
            guard FileManager.default.isExecutableFile(atPath: candidate.path) else { return false }
            return (try? run(candidate, ["-c", "import nbformat"], in: nil).status) == 0
        }
    }()

    static let shouldRun = python != nil || isRequired

    static func run(_ python: URL, _ arguments: [String], in directory: URL?) throws -> CLIRunner.Output {
        try CLIRunner.run(python, arguments, in: directory)
    }
}
