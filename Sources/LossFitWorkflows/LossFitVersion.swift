/// The version of lossfit that writes files, recorded in FIT.json and LAW.json beside their format
/// number so that a file says what wrote it.
public enum LossFitVersion {
    public static let current = "0.1.0"
}
