import Foundation
import NonlinearLeastSquares

/// A fitted noise-scale rule: ε_opt(B) = ε_max · f(B) with f from `BatchSizeTransferRule`.
///
/// Fitted to the best learning rate εᵢ at each batch size Bᵢ of one group by least squares in
/// log space, over θ = (ln ε_max, ln B_noise):
/// ```
/// min Σᵢ (ln εᵢ − ln ε_max − ln f(Bᵢ; B_noise))²
/// mccandlish:  f(B) = 1 / (1 + B_noise/B)                      (McCandlish et al. 2018, arXiv 1812.06162)
/// surge:       f(B) = 1 / (½(√(B_noise/B) + √(B/B_noise)))     (Li et al. 2024, arXiv 2405.14578)
/// ```
/// Log space because learning rates are judged by their ratio (a factor of 2 too high costs about
/// as much at 1e-4 as at 1e-2). Levenberg–Marquardt (`LevenbergMarquardt`, steps by LAPACK QR)
/// from five starts of ln B_noise spread over the sweep's batch sizes, each with the ln ε_max that
/// is optimal for it; the lowest sum of squares wins. ln B_noise is bounded to within a factor 100
/// of the batch sizes run: beyond that the data cannot tell B_noise from the limit (mccandlish
/// becomes ε ∝ B or constant, surge ε ∝ √B or ∝ 1/√B), and `isAtBound` says so.
public struct NoiseScaleFit: Sendable, Equatable, Codable {
    /// `.mccandlish` or `.surge`.
    public var rule: BatchSizeTransferRule
    /// B_noise in tokens: where mccandlish reaches half its ceiling, where surge peaks.
    public var noiseScaleTokens: Double
    /// ε_max: mccandlish's ceiling, surge's peak learning rate.
    public var maxLearningRate: Double
    /// RMS of the ln-learning-rate residuals (≈ relative error of the fitted best learning rates).
    public var residualError: Double
    /// True when B_noise ended on its bound: the batch sizes run do not locate the noise scale.
    public var isAtBound: Bool

    /// How far beyond the batch sizes run B_noise may go.
    static let boundFactor = 100.0

    /// ε_opt(B) = ε_max · f(B), B in tokens.
    public func learningRate(batchSizeTokens: Double) -> Double {
        maxLearningRate * rule.shape(batchSize: batchSizeTokens, noiseScale: noiseScaleTokens)
    }

    /// Fits `rule` to best learning rates.
    /// - Parameters:
    ///   - rule: `.mccandlish` or `.surge`.
    ///   - batchSizesTokens: at least 3 distinct batch sizes > 0, in tokens.
    ///   - learningRates: the best learning rate > 0 at each batch size.
    ///   - group: the group's label, for messages.
    /// - Throws: `BatchSizeTransferError.fitFailed` when the least-squares solver fails.
    public static func fit(rule: BatchSizeTransferRule, batchSizesTokens: [Double], learningRates: [Double],
                           group: String) throws(BatchSizeTransferError) -> NoiseScaleFit {
        precondition(rule.needsNoiseScale, "only mccandlish and surge have a noise scale to fit")
        precondition(batchSizesTokens.count == learningRates.count && batchSizesTokens.count >= 3, "needs at least 3 batch sizes")
        let logRates = learningRates.map(log)
        let logBatches = batchSizesTokens.map(log)
        let lowest = logBatches.min()!, highest = logBatches.max()!
        let bound = (lowest - log(boundFactor))...(highest + log(boundFactor))
        func logShapes(_ logNoiseScale: Double) -> [Double] {
            batchSizesTokens.map { log(rule.shape(batchSize: $0, noiseScale: exp(logNoiseScale))) }
        }
        var best: LevenbergMarquardt.Result?
        for start in 0..<5 {
            let logNoiseScale = lowest + (highest - lowest) * Double(start) / 4
            let shapes = logShapes(logNoiseScale)
            let logMax = zip(logRates, shapes).map { $0 - $1 }.reduce(0, +) / Double(logRates.count)
            let result: LevenbergMarquardt.Result
            do {
                result = try LevenbergMarquardt().minimize(start: [logMax, logNoiseScale], bounds: [nil, bound],
                                                           residualCount: logRates.count) { theta, residuals in
                    let shapes = logShapes(theta[1])
                    for i in residuals.indices { residuals[i] = theta[0] + shapes[i] - logRates[i] }
                }
            } catch {
                throw .fitFailed(group: group, rule: rule.rawValue, reason: error.description)
            }
            if best == nil || result.residualSumOfSquares < best!.residualSumOfSquares { best = result }
        }
        let theta = best!.parameters
        let atBound = abs(theta[1] - bound.lowerBound) < 1e-6 || abs(theta[1] - bound.upperBound) < 1e-6
        return NoiseScaleFit(rule: rule, noiseScaleTokens: exp(theta[1]), maxLearningRate: exp(theta[0]),
                             residualError: (best!.residualSumOfSquares / Double(logRates.count)).squareRoot(), isAtBound: atBound)
    }
}
