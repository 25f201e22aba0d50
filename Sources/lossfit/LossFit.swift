import ArgumentParser
@main struct LossFit: ParsableCommand {}
