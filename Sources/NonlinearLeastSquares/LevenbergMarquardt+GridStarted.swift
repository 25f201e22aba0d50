extension LevenbergMarquardt.Options {
    /// Tolerances for the laws' fits that start from a grid: relative changes of 1e-10, far below
    /// the noise of any logged loss, and no restarts or polishing rounds, since the grid supplies
    /// the starts.
    public static var gridStarted: Self {
        var options = Self()
        options.relativeTolerance = 1e-10
        options.stepTolerance = 1e-10
        options.gradientTolerance = 1e-10
        options.restarts = 0
        options.polishSteps = 0
        return options
    }
}
