extension Schedule {
    /// The learning rate each optimizer update `k = 1 … totalSteps` applies, at index `k − 1`:
    /// the schedule after `k − 1` updates, PyTorch's `LambdaLR` convention.
    ///
    /// ```
    /// rate(update k) = η(s = k − 1),   k = 1 … T
    /// ```
    /// The schedule's step `s` counts updates done, so update 1 runs at `η(0)` and the last update
    /// at `η(T − 1)`; `η(T)`, the rate after the last update, is applied by none. For REX this gives
    /// `p = (k − 1)/T` at update `k`: `rex:peak=1,total=1000` runs update 1 at 1 and update 251 at
    /// 6/7 (p = ¼).
    public func ratesPerUpdate() -> [Double] {
        (0..<totalSteps).map(learningRate(atStep:))
    }
}
