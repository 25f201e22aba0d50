extension Schedule {
    /// The schedule's rates in the order a PyTorch `LambdaLR` scheduler hands them out: the k-th
    /// rate (k = 1 … T) is the schedule at `k − 1`.
    ///
    /// ```
    /// rate_k = η(s = k − 1),   k = 1 … T
    /// ```
    /// For REX this gives `p = (k − 1)/T` at row `k`: `rex:peak=1,total=1000` gives 1 at k = 1 and
    /// 6/7 at k = 251 (p = ¼). lossfit's own laws and `simulate` apply `η(s)` at update s = 1 … T, as
    /// the published multi-power-law runs log it, so these rows read back with `table:FILE` are one
    /// step earlier than the spec itself.
    public func ratesPerUpdate() -> [Double] {
        (0..<totalSteps).map(learningRate(atStep:))
    }
}
