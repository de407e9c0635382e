/// Which behaviour of the seed's script the protocol reproduces (docs/model.md, "Quirks").
public enum ProtocolVariant: String, Sendable, Hashable, Codable, CaseIterable {
    /// Reproduce quirks 1–3: the teacher magnitude truncated toward zero (an integer array),
    /// the per-image mean of non-zero pixels truncated to an integer, and DN spikes in the
    /// blank half of an image never counted by the rubric.
    case seed
    /// The fixed protocol: the teacher as given, the exact mean, and the rubric counting the
    /// DN spikes of the whole image window (stimulus and blank).
    case corrected

    /// The applied teacher magnitude for a teacher gene value (nA).
    public func teacherMagnitude(_ teacher: Double) -> Float {
        switch self {
        case .seed: return Float(teacher.rounded(.towardZero))
        case .corrected: return Float(teacher)
        }
    }
}
