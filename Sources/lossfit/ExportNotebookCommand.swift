import ArgumentParser
import Foundation
import LossFitReports
import LossFitWorkflows
import ScalingLaws

/// `lossfit export-notebook`: the report as a Jupyter notebook, with its data beside it.
struct ExportNotebook: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-notebook",
        abstract: "Write the report as a Jupyter notebook (nbformat 4) with its plots, and the data (CSV, FIT.json) beside it for Python.",
        discussion: """
            Takes the same inputs as lossfit report. Writes DIR/NAME.ipynb, each plot as DIR/<plot>.svg, \
            the curves and predictions as CSV and the fit as fit.json (the sweep law as sweep-law.json); \
            the notebook's first code cell reloads them. With only a sweep (--sweep, no LOGs or --fit), the notebook \
            is the sweep's laws, landscape and recommendations (--recommend-at N:D).
            Examples:
              lossfit export-notebook --sweep data/sweep.csv --recommend-at 4000:262144 -o sweep/sweep.ipynb
              lossfit export-notebook --fit fit.json data/*.csv --predict cosine:peak=0.6,end=0,warmup=200,total=20000 -o analysis/fit.ipynb
            """)

    @OptionGroup var inputs: AnalysisOptions

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The notebook to write; its data goes in the same directory.", valueName: "NOTEBOOK.ipynb"))
    var output = "analysis.ipynb"

    func validate() throws {
        if output == OutputFile.standardOutput {
            throw ValidationError("-o -: a notebook's data files are written beside it, so it needs a file name, e.g. -o analysis.ipynb")
        }
    }

    func run() throws {
        let report = try inputs.analysis()
        let directory = URL(fileURLWithPath: output).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw CommandError("cannot create \(directory.path): \(error.localizedDescription)")
        }
        func beside(_ name: String) -> String { directory.appendingPathComponent(name).path }
        var dataFiles: [String] = []
        for (name, contents) in report.dataFiles() {
            try OutputFile.write(contents, to: beside(name))
            dataFiles.append(name)
        }
        if let fit = report.fit {
            try FitFile.write(fit, to: beside("fit.json"))
            dataFiles.append("fit.json")
        }
        if let sweep = report.sweep {
            try LawFile.write(sweep, to: beside("sweep-law.json"))
            dataFiles.append("sweep-law.json")
        }
        let document = report.document(title: inputs.title)
        for (name, figure) in document.figures {
            try OutputFile.write(figure.svg(id: name), to: beside(NotebookExport.figureFile(name)))
        }
        try OutputFile.write(try NotebookExport.render(document, dataFiles: dataFiles), to: output)
        let plots = document.figures.count
        print("wrote \(output) with \(dataFiles.count) data files and \(plots) plot\(plots == 1 ? "" : "s") beside it")
    }
}
