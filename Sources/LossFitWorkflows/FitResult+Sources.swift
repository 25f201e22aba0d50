import ScalingLaws

extension FitResult {
    /// This fit with each fitted curve's source (log, loss series, window) taken from the loaded
    /// curves it was fitted to, so that FIT.json tells where its data came from. Fitters keep the
    /// curves' order; a curve whose name differs at its position gets no source.
    public func recordingSources(of loaded: [LoadedCurve]) -> FitResult {
        var result = self
        for index in result.curves.indices where index < loaded.count && loaded[index].curve.name == result.curves[index].name {
            result.curves[index].source = loaded[index].source
        }
        return result
    }
}
