import Evolution
import Yams

/// The experiment file's syntax for a ``Prior``: a mapping with exactly one key, the kind.
///
///     {uniform: [0, 1]}                      # [lower, upper), continuous
///     {log_uniform: [1e-6, 1e-2]}            # exp of a uniform on [ln lower, ln upper); lower > 0
///     {int_uniform: [0, 2199]}               # whole numbers, both ends included
///     {normal: {mean: 26, sd: 5, bounds: [0, null]}}   # truncated by resampling; bounds optional
///     {choice: [100, 200, 400]}              # each listed value equally likely
///     {constant: 0.4}
///     {product: [P, P]}   {quotient: [P, P]}   {sum: [P, P]}   # independent draws, left first
enum PriorSyntax {
    /// The kinds, in documentation order.
    static let kinds = ["uniform", "log_uniform", "int_uniform", "normal", "choice", "constant", "product", "quotient", "sum"]

    /// The prior in flow-style YAML, as the file writes it: `{product: [{int_uniform: [0, 99]}, {uniform: [0, 1]}]}`.
    static func yaml(_ prior: Prior) -> String {
        func n(_ x: Double) -> String { YAMLText.number(x) }
        switch prior {
        case let .uniform(lower, upper): return "{uniform: [\(n(lower)), \(n(upper))]}"
        case let .logUniform(lower, upper): return "{log_uniform: [\(n(lower)), \(n(upper))]}"
        case let .integerUniform(lower, upper): return "{int_uniform: [\(lower), \(upper)]}"
        case let .normal(mean, sd, lower, upper):
            var text = "{normal: {mean: \(n(mean)), sd: \(n(sd))"
            if lower != nil || upper != nil {
                text += ", bounds: [\(lower.map(n) ?? "null"), \(upper.map(n) ?? "null")]"
            }
            return text + "}}"
        case let .choice(values): return "{choice: [\(values.map(n).joined(separator: ", "))]}"
        case let .constant(value): return "{constant: \(n(value))}"
        case let .product(a, b): return "{product: [\(yaml(a)), \(yaml(b))]}"
        case let .quotient(a, b): return "{quotient: [\(yaml(a)), \(yaml(b))]}"
        case let .sum(a, b): return "{sum: [\(yaml(a)), \(yaml(b))]}"
        }
    }
}

extension YAMLReader {
    /// The prior spelled by `node` at `path`, checking that it can be sampled: ends in order,
    /// a positive log-uniform lower end, whole int_uniform ends, a non-negative normal sd,
    /// a non-empty choice, and a quotient whose denominator cannot be zero.
    mutating func prior(_ node: Node, _ path: String) -> Prior? {
        guard case .mapping(let map) = node else {
            fail(path, at: node, "expected a prior such as {uniform: [0, 1]}, found \(Self.found(node))")
            return nil
        }
        guard map.count == 1, let entry = map.first else {
            if map.isEmpty {
                fail(path, at: node, Self.oneOf(PriorSyntax.kinds, found: node))
            } else {
                let names = map.keys.map { $0.string ?? "?" }.joined(separator: ", ")
                fail(path, at: node, "a prior has exactly one kind, found \(map.count): \(names)")
            }
            return nil
        }
        let (key, value) = entry
        guard case .scalar(let kindScalar) = key, PriorSyntax.kinds.contains(kindScalar.string) else {
            fail(path, at: key, Self.oneOf(PriorSyntax.kinds, found: key))
            return nil
        }
        let kind = kindScalar.string
        let sub = "\(path).\(kind)"
        func n(_ x: Double) -> String { YAMLText.number(x) }
        switch kind {
        case "uniform", "log_uniform":
            guard let ends = pair(value, sub), let lo = ends.0, let hi = ends.1 else { return nil }
            var ok = true
            if kind == "log_uniform" && lo <= 0 {
                fail(sub, at: value, "a log-uniform prior needs a lower end above 0, found \(n(lo))")
                ok = false
            }
            if lo > hi {
                fail(sub, at: value, "lower end \(n(lo)) is above upper end \(n(hi))")
                ok = false
            }
            guard ok else { return nil }
            return kind == "uniform" ? .uniform(lower: lo, upper: hi) : .logUniform(lower: lo, upper: hi)
        case "int_uniform":
            guard case .sequence(let s) = value, s.count == 2 else {
                fail(sub, at: value, "expected a list of two whole numbers [lower, upper], found \(Self.foundList(value))")
                return nil
            }
            let items = Array(s)
            guard let lo = integer(items[0], "\(sub)[0]"), let hi = integer(items[1], "\(sub)[1]") else { return nil }
            guard lo <= hi else {
                fail(sub, at: value, "lower end \(lo) is above upper end \(hi)")
                return nil
            }
            return .integerUniform(lower: lo, upper: hi)
        case "normal":
            guard let fields = mapping(value, sub, allowed: ["mean", "sd", "bounds"],
                                       what: "a mapping {mean: m, sd: s, bounds: [lower, upper]}") else { return nil }
            var ok = true
            var mean: Double?, sd: Double?, lower: Double?, upper: Double?
            if let m = fields["mean"] { mean = number(m, "\(sub).mean") } else {
                fail(sub, at: value, "missing mean"); ok = false
            }
            if let s = fields["sd"] {
                sd = number(s, "\(sub).sd")
                if let x = sd, x < 0 {
                    fail("\(sub).sd", at: s, "a standard deviation must not be negative, found \(n(x))")
                    ok = false
                }
            } else {
                fail(sub, at: value, "missing sd"); ok = false
            }
            if let b = fields["bounds"] {
                if let ends = pair(b, "\(sub).bounds", openSides: true) {
                    let (lo, hi) = ends
                    lower = lo; upper = hi
                    if let lo, let hi, lo > hi {
                        fail("\(sub).bounds", at: b, "lower bound \(n(lo)) is above upper bound \(n(hi))")
                        ok = false
                    }
                } else { ok = false }
            }
            guard ok, let mean, let sd else { return nil }
            return .normal(mean: mean, sd: sd, lower: lower, upper: upper)
        case "choice":
            guard let items = list(value, sub, what: "a list of numbers") else { return nil }
            guard !items.isEmpty else {
                fail(sub, at: value, "a choice needs at least one value, found an empty list")
                return nil
            }
            var values: [Double] = []
            for (i, item) in items.enumerated() {
                guard let x = number(item, "\(sub)[\(i)]") else { continue }
                values.append(x)
            }
            return values.count == items.count ? .choice(values) : nil
        case "constant":
            return number(value, sub).map(Prior.constant)
        default:  // product, quotient, sum
            guard case .sequence(let s) = value, s.count == 2 else {
                fail(sub, at: value, "expected a list of two priors [P, P], found \(Self.foundList(value))")
                return nil
            }
            let items = Array(s)
            let left = prior(items[0], "\(sub)[0]")
            let right = prior(items[1], "\(sub)[1]")
            guard let left, let right else { return nil }
            switch kind {
            case "product": return .product(left, right)
            case "sum": return .sum(left, right)
            default:
                if right.canBeZero {
                    fail("\(sub)[1]", at: items[1], "the denominator \(PriorSyntax.yaml(right)) can be zero")
                    return nil
                }
                return .quotient(left, right)
            }
        }
    }
}
