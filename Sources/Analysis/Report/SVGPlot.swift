import Foundation
import MushroomBodyModel

/// A minimal SVG writer for the report's plots: shapes, text, scales and axes. No scripts,
/// no external references; the output is plain inline SVG 1.1.
struct SVGCanvas {
    let width: Double
    let height: Double
    private(set) var body = ""

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// A coordinate with one decimal, the resolution of the report's plots.
    static func n(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let r = (x * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(format: "%.1f", r)
    }

    mutating func raw(_ element: String) { body += element + "\n" }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = "#333",
                       width: Double = 1, dash: String? = nil, opacity: Double? = nil) {
        var e = "<line x1=\"\(Self.n(x1))\" y1=\"\(Self.n(y1))\" x2=\"\(Self.n(x2))\" y2=\"\(Self.n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(width)\""
        if let dash { e += " stroke-dasharray=\"\(dash)\"" }
        if let opacity { e += " stroke-opacity=\"\(opacity)\"" }
        raw(e + "/>")
    }

    mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 1.5, dash: String? = nil,
                           opacity: Double? = nil) {
        guard !points.isEmpty else { return }
        let pts = points.map { "\(Self.n($0.0)),\(Self.n($0.1))" }.joined(separator: " ")
        var e = "<polyline points=\"\(pts)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(width)\" stroke-linejoin=\"round\""
        if let dash { e += " stroke-dasharray=\"\(dash)\"" }
        if let opacity { e += " stroke-opacity=\"\(opacity)\"" }
        raw(e + "/>")
    }

    mutating func polygon(_ points: [(Double, Double)], fill: String, opacity: Double = 1) {
        guard !points.isEmpty else { return }
        let pts = points.map { "\(Self.n($0.0)),\(Self.n($0.1))" }.joined(separator: " ")
        raw("<polygon points=\"\(pts)\" fill=\"\(fill)\" fill-opacity=\"\(opacity)\" stroke=\"none\"/>")
    }

    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, stroke: String? = nil,
                       strokeWidth: Double = 1, opacity: Double? = nil, tooltip: String? = nil) {
        var e = "<rect x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" width=\"\(Self.n(max(w, 0)))\" height=\"\(Self.n(max(h, 0)))\" fill=\"\(fill)\""
        if let stroke { e += " stroke=\"\(stroke)\" stroke-width=\"\(strokeWidth)\"" }
        if let opacity { e += " fill-opacity=\"\(opacity)\"" }
        if let tooltip { raw(e + "><title>\(HTML.escape(tooltip))</title></rect>") } else { raw(e + "/>") }
    }

    mutating func circle(_ cx: Double, _ cy: Double, r: Double, fill: String, stroke: String? = nil, opacity: Double? = nil,
                         tooltip: String? = nil) {
        var e = "<circle cx=\"\(Self.n(cx))\" cy=\"\(Self.n(cy))\" r=\"\(r)\" fill=\"\(fill)\""
        if let stroke { e += " stroke=\"\(stroke)\"" }
        if let opacity { e += " fill-opacity=\"\(opacity)\"" }
        if let tooltip { raw(e + "><title>\(HTML.escape(tooltip))</title></circle>") } else { raw(e + "/>") }
    }

    /// Text at (x, y). `halo` paints a white outline under the glyphs, so a label stays
    /// readable over the dots and lines drawn before it.
    mutating func text(_ s: String, _ x: Double, _ y: Double, size: Double = 11, anchor: String = "start",
                       weight: String? = nil, rotate: Double? = nil, fill: String = "#222", halo: Bool = false) {
        var e = "<text x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" font-size=\"\(Self.n(size))\" text-anchor=\"\(anchor)\" fill=\"\(fill)\""
        if halo { e += " stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\" stroke-linejoin=\"round\"" }
        if let weight { e += " font-weight=\"\(weight)\"" }
        if let rotate { e += " transform=\"rotate(\(Self.n(rotate)) \(Self.n(x)) \(Self.n(y)))\"" }
        raw(e + ">\(HTML.escape(s))</text>")
    }

    /// A path from raw path data (used for dense spike rasters).
    mutating func path(_ d: String, stroke: String, width: Double = 1, opacity: Double? = nil) {
        guard !d.isEmpty else { return }
        var e = "<path d=\"\(d)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(width)\""
        if let opacity { e += " stroke-opacity=\"\(opacity)\"" }
        raw(e + "/>")
    }

    /// The finished `<svg>` element with its id, `<title>` and `<desc>`.
    func svg(id: String, title: String, description: String) -> String {
        """
        <svg id="\(id)" xmlns="http://www.w3.org/2000/svg" width="\(Self.n(width))" height="\(Self.n(height))" \
        viewBox="0 0 \(Self.n(width)) \(Self.n(height))" style="max-width: 100%; height: auto" role="img" aria-labelledby="\(id)-title" \
        font-family="DejaVu Sans, Helvetica, Arial, sans-serif">
        <title id="\(id)-title">\(HTML.escape(title))</title>
        <desc>\(HTML.escape(description))</desc>
        <rect x="0" y="0" width="\(Self.n(width))" height="\(Self.n(height))" fill="#ffffff"/>
        \(body)</svg>
        """
    }
}

/// A map from data values to pixels, linear or base-10 logarithmic.
struct Scale {
    enum Kind { case linear, log }
    var kind: Kind
    var lower: Double
    var upper: Double
    var start: Double
    var end: Double

    /// A scale over the values' extent (padded by `padding` of the span on each side); log when
    /// asked for and every value is positive. An empty or one-valued extent is widened.
    init(values: [Double], to start: Double, _ end: Double, padding: Double = 0.04, preferLog: Bool = false,
         includeZero: Bool = false) {
        let finite = values.filter(\.isFinite)
        var lo = finite.min() ?? 0, hi = finite.max() ?? 1
        if includeZero { lo = min(lo, 0); hi = max(hi, 0) }
        self.start = start
        self.end = end
        if preferLog, lo > 0 {
            kind = .log
            var a = log10(lo), b = log10(hi)
            if a == b { a -= 0.5; b += 0.5 }
            let pad = (b - a) * padding
            lower = a - pad
            upper = b + pad
            return
        }
        kind = .linear
        if lo == hi {
            let w = lo == 0 ? 1 : abs(lo) * 0.1
            lo -= w; hi += w
        }
        let pad = (hi - lo) * padding
        lower = lo - pad
        upper = hi + pad
    }

    init(lower: Double, upper: Double, to start: Double, _ end: Double, integerTicks: Bool = false) {
        kind = .linear
        self.integerTicks = integerTicks
        self.lower = lower; self.upper = upper > lower ? upper : lower + 1
        self.start = start; self.end = end
    }

    /// Whether values spanning `lo…hi` (both > 0) are better read on a log scale.
    static func wantsLog(_ values: [Double]) -> Bool {
        let finite = values.filter(\.isFinite)
        guard let lo = finite.min(), let hi = finite.max(), lo > 0 else { return false }
        return hi / lo >= 1000
    }

    func callAsFunction(_ v: Double) -> Double {
        let x = kind == .log ? log10(max(v, 1e-300)) : v
        return start + (x - lower) / (upper - lower) * (end - start)
    }

    /// Whether ticks fall on whole numbers only (counts such as tournaments).
    var integerTicks = false

    /// Ticks of a log scale: whole decades when at least three fit, else decades with the 2×
    /// and 5× values, else every 1×…9×, else (a span under a decade) evenly spaced values;
    /// so a log axis always carries at least three labels (docs/report.md).
    func logTicks(_ count: Int) -> [(Double, String)] {
        let first = Int(lower.rounded(.down)), last = Int(upper.rounded(.up))
        func inside(_ v: Double) -> Bool { let l = log10(v); return l >= lower - 1e-9 && l <= upper + 1e-9 }
        func label(_ m: Int, _ k: Int) -> String { m == 1 ? "1e\(k)" : "\(m)e\(k)" }
        for mantissas in [[1], [1, 2, 5], Array(1...9)] {
            var ticks: [(Double, String)] = []
            for k in first...max(first, last) {
                for m in mantissas {
                    let v = Double(m) * pow(10, Double(k))
                    if inside(v) { ticks.append((v, label(m, k))) }
                }
            }
            if ticks.count >= 3 {
                let stride = max(1, (ticks.count + count - 1) / max(count, 1))
                return Swift.stride(from: 0, to: ticks.count, by: stride).map { ticks[$0] }
            }
        }
        let linear = Scale(lower: pow(10, lower), upper: pow(10, upper), to: start, end)
        return linear.ticks(count).filter { $0.0 > 0 }.map { ($0.0, String(format: "%.3g", $0.0)) }
    }

    /// Tick positions (data values) and their labels; none for a count of 0.
    func ticks(_ count: Int = 5) -> [(Double, String)] {
        guard count > 0 else { return [] }
        if kind == .log { return logTicks(count) }
        let span = upper - lower
        let raw = span / Double(max(count, 1))
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        var step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        if integerTicks {
            step = max(1, step.rounded(.up))
            if step == 3 || step == 4 { step = 5 }
        }
        let decimals = max(0, -Int((log10(step)).rounded(.down)) + (step / magnitude == 2.5 ? 1 : 0))
        var values: [(Double, String)] = []
        var v = (lower / step).rounded(.up) * step
        while v <= upper + step * 1e-9 {
            let label: String
            if abs(v) < step * 1e-9 {
                label = "0"
            } else if abs(v) >= 1e6 || decimals > 5 {
                label = String(format: "%g", v)
            } else {
                label = String(format: "%.\(decimals)f", v)
            }
            values.append((v, label))
            v += step
        }
        return values
    }
}

/// A rectangular plotting area with its two scales.
struct PlotFrame {
    var left: Double, top: Double, width: Double, height: Double
    var x: Scale
    var y: Scale

    var right: Double { left + width }
    var bottom: Double { top + height }

    /// Frame, grid lines, ticks, tick labels and axis labels.
    func drawAxes(on canvas: inout SVGCanvas, xLabel: String, yLabel: String, xTicks: Int = 6, yTicks: Int = 5,
                  grid: Bool = true, fontSize: Double = 11) {
        for (v, label) in x.ticks(xTicks) {
            let px = x(v)
            guard px >= left - 0.5, px <= right + 0.5 else { continue }
            if grid { canvas.line(px, top, px, bottom, stroke: "#e4e4e4") }
            canvas.line(px, bottom, px, bottom + 4, stroke: "#444")
            canvas.text(label, px, bottom + 6 + fontSize, size: fontSize - 1, anchor: "middle", fill: "#444")
        }
        for (v, label) in y.ticks(yTicks) {
            let py = y(v)
            guard py >= top - 0.5, py <= bottom + 0.5 else { continue }
            if grid { canvas.line(left, py, right, py, stroke: "#e4e4e4") }
            canvas.line(left - 4, py, left, py, stroke: "#444")
            canvas.text(label, left - 6, py + 4, size: fontSize - 1, anchor: "end", fill: "#444")
        }
        canvas.rect(left, top, width, height, fill: "none", stroke: "#444")
        canvas.text(xLabel, left + width / 2, bottom + 2 * fontSize + 12, size: fontSize, anchor: "middle")
        canvas.text(yLabel, left - 48, top + height / 2, size: fontSize, anchor: "middle", rotate: -90)
    }
}

/// Colours of replicates (Tableau 10, the matplotlib default cycle) and the heat map ramp.
enum Palette {
    static let categorical = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                              "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]

    static func replicate(_ r: Int) -> String { categorical[r % categorical.count] }

    /// White (0) to dark blue (1), a sequential ramp for counts.
    static func sequential(_ t: Double) -> String {
        let u = min(max(t.isFinite ? t : 0, 0), 1)
        let stops: [(Double, Double, Double)] = [(255, 255, 255), (158, 202, 225), (49, 130, 189), (8, 48, 107)]
        let position = u * Double(stops.count - 1)
        let i = min(Int(position), stops.count - 2)
        let f = position - Double(i)
        func mix(_ a: Double, _ b: Double) -> Int { Int((a + (b - a) * f).rounded()) }
        let (r, g, b) = (mix(stops[i].0, stops[i + 1].0), mix(stops[i].1, stops[i + 1].1), mix(stops[i].2, stops[i + 1].2))
        return "#" + [r, g, b].map { String(format: "%02x", $0) }.joined()
    }
}

/// HTML text escaping.
enum HTML {
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
