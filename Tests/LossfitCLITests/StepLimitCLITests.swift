import Foundation
import TestSupport
import Testing

/// Every command that would hold a value per step refuses a step count beyond the documented limit
/// (10,000,000 steps) with one line on standard error and exit status 1, instead of allocating per
/// step and aborting.
@Suite struct StepLimitCLITests {
    static let fit = SharedData.packageRoot.appendingPathComponent("Tests/LossFitWorkflowsTests/Fixtures/base/fit-annealing.json").path
    static let huge = "cosine:peak=0.6,total=1e12"

    private func expectRefused(_ arguments: [String], saying fragment: String) throws {
        let output = try CLIRunner.run(arguments)
        #expect(output.status == 1, "lossfit \(arguments.joined(separator: " ")): status \(output.status), stderr \(output.stderr)")
        let lines = output.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines.first?.hasPrefix("Error: ") == true, "stderr: \(output.stderr)")
        #expect(output.stderr.contains(fragment), "stderr: \(output.stderr)")
        #expect(output.stdout.isEmpty)
    }

    @Test(arguments: [
        (["predict", "--fit", fit, "--schedule", huge], "total=1e12: a schedule may have at most 10,000,000 steps"),
        (["compare", "--fit", fit, huge, "constant:peak=0.6,total=1000"], "total=1e12: a schedule may have at most 10,000,000 steps"),
        (["schedule", huge, "--format", "csv"], "total=1e12: a schedule may have at most 10,000,000 steps"),
        (["optimize", "--fit", fit, "--total", "1000000000000", "--peak", "0.6"], "total=1000000000000: a schedule may have at most 10,000,000 steps"),
        (["plan", "--fit", fit, "--peak", "0.6", "--budget", "1000000000000", "--checkpoints", "100"],
         "budget=1000000000000: a schedule may have at most 10,000,000 steps (the learning rate of every step is held in memory); count the run in coarser steps (e.g. units of 10 steps: divide every step count by 10) or use a shorter horizon (--budget)"),
        (["simulate", "--constant", "0.6", "--steps", "1000000000000"], "steps=1000000000000: a schedule may have at most 10,000,000 steps"),
        (["simulate", "--schedule", huge], "total=1e12: a schedule may have at most 10,000,000 steps"),
    ])
    func stepCountsBeyondTheLimit(arguments: [String], fragment: String) throws {
        try expectRefused(arguments, saying: fragment)
    }

    @Test func aLogWithAHugeStepNamesTheFileAndLine() throws {
        try withTemporaryDirectory { directory in
            let log = directory.appendingPathComponent("run.csv")
            try "step,lr,loss\n100,0.1,3.0\n200,0.1,2.9\n1000000000000,0.1,2.8\n".write(to: log, atomically: true, encoding: .utf8)
            try expectRefused(["fit", log.path], saying: "\(log.path):4: column \"step\": step 1000000000000 is beyond step 10,000,000, the last a curve may reach (a learning rate is held for every step); count steps in coarser units (e.g. divide them by 10), or read a column of optimizer steps; name one with --step-key\n")
        }
    }

    /// `inspect` reads without the schedules' limit, but a step beyond what the format holds
    /// (CSV: an Int; JSON: 2^53, the largest exact double; text logs: an Int) is still refused, naming that bound.
    @Test(arguments: [
        ("run.csv", "step,lr,loss\n100,0.1,3.0\n100000000000000000000,0.1,2.8\n",
         ":3: column \"step\": step 100000000000000000000 is beyond step 9,223,372,036,854,775,807, the last a curve may reach"),
        ("run.jsonl", "{\"step\": 100, \"lr\": 0.1, \"loss\": 3.0}\n{\"step\": 1e20, \"lr\": 0.1, \"loss\": 2.8}\n",
         ":2: column \"step\": step 1e+20 is beyond step 9,007,199,254,740,992, the last a curve may reach"),
        ("train.log", "iter 100: loss 3.0000, time 10.00ms\niter 100000000000000000000: loss 2.9000, time 10.00ms\n",
         ":2: column \"iter\": step 100000000000000000000 is beyond step 9,223,372,036,854,775,807, the last a curve may reach"),
        ("megatron.log", " [2024] iteration      100/   10000 | learning rate: 1.5E-04 | lm loss: 7.89E+00 |\n"
            + " [2024] iteration      100000000000000000000/   10000 | learning rate: 1.5E-04 | lm loss: 7.79E+00 |\n",
         ":2: column \"iteration\": step 100000000000000000000 is beyond step 9,223,372,036,854,775,807, the last a curve may reach"),
    ])
    func inspectRefusesAStepOf1e20(name: String, text: String, fragment: String) throws {
        try withTemporaryDirectory { directory in
            let log = directory.appendingPathComponent(name)
            try text.write(to: log, atomically: true, encoding: .utf8)
            try expectRefused(["inspect", log.path], saying: log.path + fragment)
            try expectRefused(["inspect", "--json", log.path], saying: log.path + fragment)
        }
    }
}
