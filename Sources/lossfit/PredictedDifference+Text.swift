import LossFitReports
import ScalingLaws

extension PredictedDifference {
    /// The difference's 95 % uncertainty for a table cell: the bootstrap band ` (lower to upper)`
    /// when the fit has replicates, else ` ± 1.96·SE` by the delta method, else nothing.
    var uncertaintyText: String {
        if let band = bootstrapBand95 {
            return " (" + NumberFormat.significant(band.lowerBound, digits: 2) + " to " + NumberFormat.significant(band.upperBound, digits: 2) + ")"
        }
        return standardError.map { " ± " + NumberFormat.significant(1.96 * $0, digits: 2) } ?? ""
    }
}

/// The words compare and plan print about a fit's ranking check or committee.
enum RankingCheckText {
    static func legend(_ committee: Committee) -> String {
        "settled? = all \(committee.members.count) committee members also rank it behind the best; where they do not, the data have not settled the order. spread = half the gap between the two middle members' predictions (the law's uncertain form, not in the ± band)."
    }


    static func legend(_ check: RankingCheck) -> String {
        "settled? = the ranking check (\(check.label), fitted to the same curves) also ranks it behind the best; where it does not, the data have not settled the order (README, \"Checking a ranking\")."
    }
}
