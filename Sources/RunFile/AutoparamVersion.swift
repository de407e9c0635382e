/// The tool's version, recorded in every run file.
public enum AutoparamVersion {
    public static let current = "0.1.0"
}
