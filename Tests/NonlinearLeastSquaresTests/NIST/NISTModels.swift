import Foundation

/// A NIST StRD model `f(b; x)` with its analytic gradient `∂f/∂b`.
///
/// The residual is `rᵢ = f(b; xᵢ) − yᵢ` (for Nelson, whose model is stated for `log y`,
/// `rᵢ = f(b; xᵢ) − log yᵢ`), so the Jacobian row is the gradient.
struct NISTModel: Sendable {
    let parameterCount: Int
    /// True when the model describes `log y` rather than `y`.
    var logResponse = false
    let value: @Sendable (_ b: [Double], _ x: [Double]) -> Double
    let gradient: @Sendable (_ b: [Double], _ x: [Double], _ g: inout [Double]) -> Void

    /// The 27 models, keyed by data set name.
    static func named(_ name: String) -> NISTModel? { all[name] }

    static let all: [String: NISTModel] = {
        var models: [String: NISTModel] = [:]

        // y = b1·(1 − exp(−b2·x))
        let saturatingExponential = NISTModel(parameterCount: 2, value: { b, x in
            b[0] * (1 - exp(-b[1] * x[0]))
        }, gradient: { b, x, g in
            let e = exp(-b[1] * x[0])
            g[0] = 1 - e
            g[1] = b[0] * x[0] * e
        })
        models["Misra1a"] = saturatingExponential
        models["BoxBOD"] = saturatingExponential

        // y = exp(−b1·x) / (b2 + b3·x)
        let chwirut = NISTModel(parameterCount: 3, value: { b, x in
            exp(-b[0] * x[0]) / (b[1] + b[2] * x[0])
        }, gradient: { b, x, g in
            let e = exp(-b[0] * x[0]), d = b[1] + b[2] * x[0]
            g[0] = -x[0] * e / d
            g[1] = -e / (d * d)
            g[2] = -x[0] * e / (d * d)
        })
        models["Chwirut1"] = chwirut
        models["Chwirut2"] = chwirut

        // y = b1·exp(−b2·x) + b3·exp(−b4·x) + b5·exp(−b6·x)
        let lanczos = NISTModel(parameterCount: 6, value: { b, x in
            b[0] * exp(-b[1] * x[0]) + b[2] * exp(-b[3] * x[0]) + b[4] * exp(-b[5] * x[0])
        }, gradient: { b, x, g in
            for k in 0..<3 {
                let e = exp(-b[2 * k + 1] * x[0])
                g[2 * k] = e
                g[2 * k + 1] = -b[2 * k] * x[0] * e
            }
        })
        for name in ["Lanczos1", "Lanczos2", "Lanczos3"] { models[name] = lanczos }

        // y = b1·exp(−b2·x) + b3·exp(−(x−b4)²/b5²) + b6·exp(−(x−b7)²/b8²)
        let gauss = NISTModel(parameterCount: 8, value: { b, x in
            let t = x[0]
            let d1 = t - b[3], d2 = t - b[6]
            return b[0] * exp(-b[1] * t) + b[2] * exp(-d1 * d1 / (b[4] * b[4])) + b[5] * exp(-d2 * d2 / (b[7] * b[7]))
        }, gradient: { b, x, g in
            let t = x[0]
            let e = exp(-b[1] * t)
            g[0] = e
            g[1] = -b[0] * t * e
            for (a, c, w) in [(2, 3, 4), (5, 6, 7)] {
                let d = t - b[c], s = b[w]
                let q = exp(-d * d / (s * s))
                g[a] = q
                g[c] = b[a] * q * 2 * d / (s * s)
                g[w] = b[a] * q * 2 * d * d / (s * s * s)
            }
        })
        for name in ["Gauss1", "Gauss2", "Gauss3"] { models[name] = gauss }

        // y = b1·x^b2
        models["DanWood"] = NISTModel(parameterCount: 2, value: { b, x in
            b[0] * pow(x[0], b[1])
        }, gradient: { b, x, g in
            let p = pow(x[0], b[1])
            g[0] = p
            g[1] = b[0] * p * log(x[0])
        })

        // y = b1·(1 − (1 + b2·x/2)^(−2))
        models["Misra1b"] = NISTModel(parameterCount: 2, value: { b, x in
            let u = 1 + b[1] * x[0] / 2
            return b[0] * (1 - 1 / (u * u))
        }, gradient: { b, x, g in
            let u = 1 + b[1] * x[0] / 2
            g[0] = 1 - 1 / (u * u)
            g[1] = b[0] * x[0] / (u * u * u)
        })

        // y = (b1 + b2·x + b3·x²) / (1 + b4·x + b5·x²)
        models["Kirby2"] = NISTModel(parameterCount: 5, value: { b, x in
            let t = x[0]
            return (b[0] + b[1] * t + b[2] * t * t) / (1 + b[3] * t + b[4] * t * t)
        }, gradient: { b, x, g in
            let t = x[0]
            let numerator = b[0] + b[1] * t + b[2] * t * t
            let denominator = 1 + b[3] * t + b[4] * t * t
            g[0] = 1 / denominator
            g[1] = t / denominator
            g[2] = t * t / denominator
            g[3] = -numerator * t / (denominator * denominator)
            g[4] = -numerator * t * t / (denominator * denominator)
        })

        // y = (b1 + b2·x + b3·x² + b4·x³) / (1 + b5·x + b6·x² + b7·x³)
        let cubicRational = NISTModel(parameterCount: 7, value: { b, x in
            let t = x[0]
            return (b[0] + t * (b[1] + t * (b[2] + t * b[3]))) / (1 + t * (b[4] + t * (b[5] + t * b[6])))
        }, gradient: { b, x, g in
            let t = x[0]
            let numerator = b[0] + t * (b[1] + t * (b[2] + t * b[3]))
            let denominator = 1 + t * (b[4] + t * (b[5] + t * b[6]))
            var power = 1.0
            for k in 0..<4 {
                g[k] = power / denominator
                power *= t
            }
            power = t
            for k in 4..<7 {
                g[k] = -numerator * power / (denominator * denominator)
                power *= t
            }
        })
        models["Hahn1"] = cubicRational
        models["Thurber"] = cubicRational

        // log y = b1 − b2·x1·exp(−b3·x2)
        models["Nelson"] = NISTModel(parameterCount: 3, logResponse: true, value: { b, x in
            b[0] - b[1] * x[0] * exp(-b[2] * x[1])
        }, gradient: { b, x, g in
            let e = exp(-b[2] * x[1])
            g[0] = 1
            g[1] = -x[0] * e
            g[2] = b[1] * x[0] * x[1] * e
        })

        // y = b1 + b2·exp(−x·b4) + b3·exp(−x·b5)
        models["MGH17"] = NISTModel(parameterCount: 5, value: { b, x in
            b[0] + b[1] * exp(-x[0] * b[3]) + b[2] * exp(-x[0] * b[4])
        }, gradient: { b, x, g in
            let e4 = exp(-x[0] * b[3]), e5 = exp(-x[0] * b[4])
            g[0] = 1
            g[1] = e4
            g[2] = e5
            g[3] = -b[1] * x[0] * e4
            g[4] = -b[2] * x[0] * e5
        })

        // y = b1·(1 − (1 + 2·b2·x)^(−1/2))
        models["Misra1c"] = NISTModel(parameterCount: 2, value: { b, x in
            b[0] * (1 - 1 / (1 + 2 * b[1] * x[0]).squareRoot())
        }, gradient: { b, x, g in
            let u = 1 + 2 * b[1] * x[0]
            let root = u.squareRoot()
            g[0] = 1 - 1 / root
            g[1] = b[0] * x[0] / (u * root)
        })

        // y = b1·b2·x / (1 + b2·x)
        models["Misra1d"] = NISTModel(parameterCount: 2, value: { b, x in
            b[0] * b[1] * x[0] / (1 + b[1] * x[0])
        }, gradient: { b, x, g in
            let u = 1 + b[1] * x[0]
            g[0] = b[1] * x[0] / u
            g[1] = b[0] * x[0] / (u * u)
        })

        // y = b1 − b2·x − arctan(b3/(x − b4))/π
        models["Roszman1"] = NISTModel(parameterCount: 4, value: { b, x in
            b[0] - b[1] * x[0] - atan(b[2] / (x[0] - b[3])) / Double.pi
        }, gradient: { b, x, g in
            let d = x[0] - b[3]
            let q = b[2] / d
            let c = 1 / (Double.pi * (1 + q * q))
            g[0] = 1
            g[1] = -x[0]
            g[2] = -c / d
            g[3] = -c * b[2] / (d * d)
        })

        // y = b1 + b2·cos(2πx/12) + b3·sin(2πx/12) + b5·cos(2πx/b4) + b6·sin(2πx/b4)
        //        + b8·cos(2πx/b7) + b9·sin(2πx/b7)
        models["ENSO"] = NISTModel(parameterCount: 9, value: { b, x in
            let w = 2 * Double.pi * x[0]
            return b[0] + b[1] * cos(w / 12) + b[2] * sin(w / 12)
                + b[4] * cos(w / b[3]) + b[5] * sin(w / b[3])
                + b[7] * cos(w / b[6]) + b[8] * sin(w / b[6])
        }, gradient: { b, x, g in
            let w = 2 * Double.pi * x[0]
            g[0] = 1
            g[1] = cos(w / 12)
            g[2] = sin(w / 12)
            for (period, c, s) in [(3, 4, 5), (6, 7, 8)] {
                let theta = w / b[period]
                let cosine = cos(theta), sine = sin(theta)
                g[c] = cosine
                g[s] = sine
                g[period] = (-b[c] * sine + b[s] * cosine) * (-w / (b[period] * b[period]))
            }
        })

        // y = b1·(x² + x·b2) / (x² + x·b3 + b4)
        models["MGH09"] = NISTModel(parameterCount: 4, value: { b, x in
            let t = x[0]
            return b[0] * (t * t + t * b[1]) / (t * t + t * b[2] + b[3])
        }, gradient: { b, x, g in
            let t = x[0]
            let numerator = t * t + t * b[1]
            let denominator = t * t + t * b[2] + b[3]
            g[0] = numerator / denominator
            g[1] = b[0] * t / denominator
            g[2] = -b[0] * numerator * t / (denominator * denominator)
            g[3] = -b[0] * numerator / (denominator * denominator)
        })

        // y = b1 / (1 + exp(b2 − b3·x))
        models["Rat42"] = NISTModel(parameterCount: 3, value: { b, x in
            b[0] / (1 + exp(b[1] - b[2] * x[0]))
        }, gradient: { b, x, g in
            let e = exp(b[1] - b[2] * x[0])
            let u = 1 + e
            g[0] = 1 / u
            g[1] = -b[0] * e / (u * u)
            g[2] = b[0] * x[0] * e / (u * u)
        })

        // y = b1·exp(b2/(x + b3))
        models["MGH10"] = NISTModel(parameterCount: 3, value: { b, x in
            b[0] * exp(b[1] / (x[0] + b[2]))
        }, gradient: { b, x, g in
            let d = x[0] + b[2]
            let e = exp(b[1] / d)
            g[0] = e
            g[1] = b[0] * e / d
            g[2] = -b[0] * e * b[1] / (d * d)
        })

        // y = (b1/b2)·exp(−½((x − b3)/b2)²)
        models["Eckerle4"] = NISTModel(parameterCount: 3, value: { b, x in
            let z = (x[0] - b[2]) / b[1]
            return b[0] / b[1] * exp(-0.5 * z * z)
        }, gradient: { b, x, g in
            let z = (x[0] - b[2]) / b[1]
            let e = exp(-0.5 * z * z)
            g[0] = e / b[1]
            g[1] = b[0] * e * (z * z - 1) / (b[1] * b[1])
            g[2] = b[0] * e * z / (b[1] * b[1])
        })

        // y = b1 / (1 + exp(b2 − b3·x))^(1/b4)
        models["Rat43"] = NISTModel(parameterCount: 4, value: { b, x in
            b[0] / pow(1 + exp(b[1] - b[2] * x[0]), 1 / b[3])
        }, gradient: { b, x, g in
            let e = exp(b[1] - b[2] * x[0])
            let u = 1 + e
            let p = pow(u, -1 / b[3])
            g[0] = p
            g[1] = -b[0] * p * e / (b[3] * u)
            g[2] = b[0] * p * e * x[0] / (b[3] * u)
            g[3] = b[0] * p * log(u) / (b[3] * b[3])
        })

        // y = b1·(b2 + x)^(−1/b3)
        models["Bennett5"] = NISTModel(parameterCount: 3, value: { b, x in
            b[0] * pow(b[1] + x[0], -1 / b[2])
        }, gradient: { b, x, g in
            let u = b[1] + x[0]
            let p = pow(u, -1 / b[2])
            g[0] = p
            g[1] = -b[0] * p / (b[2] * u)
            g[2] = b[0] * p * log(u) / (b[2] * b[2])
        })
        return models
    }()
}
