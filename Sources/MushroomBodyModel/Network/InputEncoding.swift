/// Turns an image's grey values into the PNs' per-step spike probabilities.
///
/// Each pixel is divided by the mean of the image's non-zero pixels, then by `divisor`
/// (235 in the seed), in Double, and rounded to Float once (GeNN's `firingProb` is float).
/// A pixel at the image's mean fires with probability 1/235 per 0.1 ms step (≈ 42.6 Hz).
/// An all-zero image stays all zero. Under the seed variant the mean is first truncated to
/// an integer (quirk 2).
public enum InputEncoding {
    /// The mean of the non-zero values (Double), or nil if all are zero.
    public static func meanOfNonZero<C: Collection>(_ pixels: C) -> Double? where C.Element == UInt8 {
        var sum = 0.0, count = 0
        for p in pixels where p != 0 { sum += Double(p); count += 1 }
        return count == 0 ? nil : sum / Double(count)
    }

    /// Per-step firing probabilities for `pixels`.
    public static func firingProbabilities<C: Collection>(_ pixels: C, divisor: Double, variant: ProtocolVariant) -> [Float]
    where C.Element == UInt8 {
        guard var mean = meanOfNonZero(pixels) else { return [Float](repeating: 0, count: pixels.count) }
        if variant == .seed { mean = mean.rounded(.towardZero) }
        return pixels.map { Float(Double($0) / mean / divisor) }
    }
}
