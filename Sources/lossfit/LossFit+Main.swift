import ArgumentParser

extension LossFit {
    /// ArgumentParser's entry point, with the remedies of read errors said as lossfit's options:
    /// the libraries' messages name no options (CommandLineHintedError).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: CommandLineHintedError.hinted(error))
        }
    }
}
