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

    /// The kinds of loss (training, evaluation) this fit's curves were read as; empty for a fit
    /// from before FIT.json recorded sources.
    public var fittedLossKinds: Set<CurveSource.LossKind> {
        Set(curves.compactMap { $0.source?.lossKind })
    }

    /// The loaded curves whose loss is of a kind this fit was not made on (a validation loss scored
    /// by a fit of training losses), which it predicts with a bias: the two differ by the
    /// generalisation gap.
    public func curvesOfAnotherLossKind(_ loaded: [LoadedCurve]) -> [CurveSource] {
        let fitted = fittedLossKinds
        guard !fitted.isEmpty else { return [] }
        return loaded.compactMap(\.source).filter { source in source.lossKind.map { !fitted.contains($0) } ?? false }
    }
}
