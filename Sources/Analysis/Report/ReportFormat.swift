import Foundation
import MushroomBodyModel

/// How the report writes numbers (docs/report.md, "Number formats"). One place, so the text
/// table, the CSV files and the HTML page agree.
public enum ReportFormat {
    /// Fitness values and their statistics: fixed point with 3 decimals ("212.500"); "nan"
    /// for NaN and "inf"/"-inf" for infinities.
    public static func fitness(_ x: Double) -> String {
        guard x.isFinite else { return special(x) }
        return String(format: "%.3f", x)
    }

    /// Gene values: integers without a decimal point ("350"), anything else in the shortest
    /// text that reads back as the same Double ("0.1234", "3.5e-07").
    public static func gene(_ x: Double) -> String {
        guard x.isFinite else { return special(x) }
        if x == x.rounded(), abs(x) < 1e15 { return String(format: "%.0f", x == 0 ? 0 : x) }
        return "\(x)"
    }

    /// Statistics of gene values: 6 significant digits ("%.6g": "0.000123457", "1234.57",
    /// "1.23457e+07").
    public static func statistic(_ x: Double) -> String {
        guard x.isFinite else { return special(x) }
        return String(format: "%.6g", x == 0 ? 0 : x)
    }

    /// Wall-clock seconds: one decimal ("12.3").
    public static func seconds(_ x: Double) -> String {
        guard x.isFinite else { return special(x) }
        return String(format: "%.1f", x)
    }

    /// A count that may be a half (a median of integers): "4" or "4.5".
    public static func count(_ x: Double) -> String {
        guard x.isFinite else { return special(x) }
        return x == x.rounded() ? String(format: "%.0f", x) : String(format: "%.1f", x)
    }

    /// A number in CSV and JSON: Swift's shortest text that reads back as the same Double
    /// ("350.0", "212.5", "3.5e-07"); nil (an empty cell, JSON null) for NaN and infinities.
    public static func exact(_ x: Double) -> String? {
        guard x.isFinite else { return nil }
        return "\(x)"
    }

    static func special(_ x: Double) -> String { x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
}
