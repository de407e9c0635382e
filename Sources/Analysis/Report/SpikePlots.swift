import Foundation

extension ReportPlots {
    /// Most spikes drawn per population; beyond it every k-th spike is drawn (and the plot says so).
    static let rasterSpikeLimit = 150_000

    /// Panel height of a population in the raster, px.
    static func panelHeight(_ name: String, size: Int) -> Double {
        switch name {
        case "PN", "KC": return 170
        case "DN": return 70
        case "GGN": return 34
        default: return size <= 8 ? 70 : 140
        }
    }

    /// A line of class names: "labels: 0 dull, 1 unknown, 2 rubbish, 3 food".
    static func classKey(_ names: [String]) -> String {
        "labels: " + names.enumerated().map { "\($0) \($1)" }.joined(separator: ", ")
    }

    /// Every recorded spike of the best evaluation, one panel per population (neuron index
    /// against time), with the stimulus windows shaded and each image's label above them.
    static func spikeRaster(_ best: BestEvaluation, windows: ImageWindows?, dt: Double, steps: Int) -> String {
        let left = 80.0, plotW = 1160.0, gap = 22.0, top = 74.0
        let heights = best.populationNames.indices.map { panelHeight(best.populationNames[$0], size: best.populationSizes[$0]) }
        let totalH = heights.reduce(0, +) + gap * Double(max(heights.count - 1, 0))
        var c = SVGCanvas(width: left + plotW + 90, height: top + totalH + 80)
        let durationMs = Double(steps) * dt
        let x = Scale(lower: 0, upper: max(durationMs, dt), to: left, left + plotW)
        c.text("Spike raster of the best evaluation: replicate \(best.replicate), evaluation \(best.row), fitness \(ReportFormat.fitness(best.fitness))",
               left, 20, size: 14, weight: "bold")
        var note = "shaded: stimulus windows (training, teacher on)"
        if windows?.testStart != nil { note += "; violet: test images (teacher off, STDP frozen)" }
        if let w = windows, !w.splitFromExperiment { note += "; stimulus assumed to be the first half of each image" }
        if let w = windows { note += ". Number above each window: the image's label (\(classKey(w.classNames)))" }
        c.text(note, left, 38, size: 11, fill: "#444")

        // Stimulus windows and labels.
        if let w = windows {
            let pxPerImage = plotW / Double(w.count)
            let every = max(1, Int((12 / pxPerImage).rounded(.up)))
            for i in 0..<w.count {
                let x0 = x(Double(w.start(i)) * dt), x1 = x(Double(w.start(i) + w.stimulusSteps) * dt)
                let isTest = w.testStart.map { i >= $0 } ?? false
                c.rect(x0, top, x1 - x0, totalH, fill: isTest ? "#eadcf5" : "#fdf0c2")
                if i % every == 0 {
                    c.text(String(w.labels[i]), (x0 + x1) / 2, top - 6, size: 10, anchor: "middle", fill: "#333")
                }
            }
            c.text("label", left - 8, top - 6, size: 10, anchor: "end", fill: "#333")
        }

        var y0 = top
        var thinned: [String] = []
        for (p, name) in best.populationNames.enumerated() {
            let h = heights[p], size = max(best.populationSizes[p], 1)
            let frame = PlotFrame(left: left, top: y0, width: plotW, height: h, x: x,
                                  y: Scale(lower: 0, upper: Double(size), to: y0 + h, y0))
            let train = best.spikes[p]
            let stride = max(1, (train.count + rasterSpikeLimit - 1) / rasterSpikeLimit)
            if stride > 1 { thinned.append("\(name): every \(stride)th of \(train.count) spikes drawn") }
            let rowH = h / Double(size)
            let tick = max(rowH * 0.8, 1.2)
            var d = ""
            d.reserveCapacity(train.count / stride * 18)
            var i = 0
            while i < train.count {
                let px = x(Double(train.steps[i]) * dt)
                let py = frame.y(Double(train.ids[i]) + 0.5) - tick / 2
                d += "M\(SVGCanvas.n(px)) \(SVGCanvas.n(py))v\(SVGCanvas.n(tick))"
                i += stride
            }
            let colour = ["PN": "#4d4d4d", "KC": "#1f77b4", "DN": "#d62728", "GGN": "#2ca02c"][name] ?? "#333333"
            c.path(d, stroke: colour, width: 0.9)
            // Axes: neuron index, the population's name and size.
            c.rect(left, y0, plotW, h, fill: "none", stroke: "#444")
            let yTicks = size <= 8 ? (0..<size).map { (Double($0) + 0.5, String($0)) } : [(0.0, "0"), (Double(size), String(size))]
            for (v, label) in yTicks {
                let py = frame.y(v)
                c.line(left - 4, py, left, py, stroke: "#444")
                c.text(label, left - 6, py + 3.5, size: 9, anchor: "end", fill: "#444")
            }
            c.text("\(name) (\(best.populationSizes[p]))", left - 36, y0 + h / 2, size: 11, anchor: "middle", weight: "bold", rotate: -90)
            c.text("\(train.count) spikes", left + plotW + 4, y0 + 12, size: 9, fill: "#555")
            y0 += h + gap
        }
        let bottom = top + totalH
        for (v, label) in x.ticks(10) {
            let px = x(v)
            c.line(px, bottom, px, bottom + 4, stroke: "#444")
            c.text(label, px, bottom + 16, size: 10, anchor: "middle", fill: "#444")
        }
        c.text("time (ms)", left + plotW / 2, bottom + 34, size: 11, anchor: "middle")
        c.text("neuron index (population size)", 14, top + totalH / 2, size: 11, anchor: "middle", rotate: -90)
        if !thinned.isEmpty { c.text("thinned: " + thinned.joined(separator: "; "), left, bottom + 56, size: 10, fill: "#a00") }
        return c.svg(id: spikeRasterID, title: "Spike raster of the best evaluation",
                     description: "Every recorded spike of the best evaluation (\(best.populationNames.joined(separator: ", "))): neuron index against time in ms, stimulus windows shaded, image labels above.")
    }

    /// DN spike counts per image (stimulus window only) as a heat map; the labelled DN's cell
    /// of each image is outlined.
    static func dnResponses(_ best: BestEvaluation, windows: ImageWindows, counts: [[Int]]) -> String {
        let left = 150.0, top = 64.0
        let n = windows.count, dns = counts.count
        let cellW = min(40, 1080 / Double(max(n, 1))), cellH = 30.0
        let plotW = cellW * Double(n), plotH = cellH * Double(dns)
        var c = SVGCanvas(width: max(left + plotW + 90, 700), height: top + plotH + 90)
        let peak = max(counts.flatMap { $0 }.max() ?? 0, 1)
        c.text("DN responses of the best evaluation: spikes per DN in each image's stimulus window", 20, 22, size: 14, weight: "bold")
        c.text("outlined: the image's labelled DN (the one the teacher drives); \(classKey(windows.classNames))", 20, 40, size: 11, fill: "#444")
        for d in 0..<dns {
            for i in 0..<n {
                let x = left + Double(i) * cellW, y = top + Double(d) * cellH
                let k = counts[d][i]
                let isTest = windows.testStart.map { i >= $0 } ?? false
                c.rect(x, y, cellW, cellH, fill: Palette.sequential(Double(k) / Double(peak)), stroke: "#ffffff", strokeWidth: 0.5,
                       tooltip: "image \(i) (label \(windows.labels[i])\(isTest ? ", test" : "")), DN \(d): \(k) spikes")
                if cellW >= 16 {
                    c.text(String(k), x + cellW / 2, y + cellH / 2 + 4, size: 10, anchor: "middle",
                           fill: Double(k) / Double(peak) > 0.5 ? "#ffffff" : "#222")
                }
            }
            let name = d < windows.classNames.count ? " \(windows.classNames[d])" : ""
            c.text("DN \(d)\(name)", left - 8, top + Double(d) * cellH + cellH / 2 + 4, size: 11, anchor: "end")
        }
        for i in 0..<n where (0..<dns).contains(windows.labels[i]) {
            c.rect(left + Double(i) * cellW + 1, top + Double(windows.labels[i]) * cellH + 1, cellW - 2, cellH - 2,
                   fill: "none", stroke: "#000000", strokeWidth: 1.6)
        }
        c.rect(left, top, plotW, plotH, fill: "none", stroke: "#444")
        if let t = windows.testStart {
            let x = left + Double(t) * cellW
            c.line(x, top - 6, x, top + plotH + 6, stroke: "#7b3294", width: 2)
            c.text("test →", x + 3, top - 8, size: 10, fill: "#7b3294")
        }
        let every = max(1, Int((22 / cellW).rounded(.up)))
        for i in stride(from: 0, to: n, by: every) {
            let x = left + (Double(i) + 0.5) * cellW
            c.text(String(i), x, top + plotH + 14, size: 9, anchor: "middle", fill: "#444")
            c.text(String(windows.labels[i]), x, top + plotH + 28, size: 9, anchor: "middle", fill: "#444")
        }
        c.text("image", left - 8, top + plotH + 14, size: 9, anchor: "end", fill: "#444")
        c.text("label", left - 8, top + plotH + 28, size: 9, anchor: "end", fill: "#444")
        c.text("image (presentation order)", left + plotW / 2, top + plotH + 48, size: 11, anchor: "middle")
        c.text("detection neuron", 16, top + plotH / 2, size: 11, anchor: "middle", rotate: -90)
        // Colour bar.
        let barX = left + plotW + 24
        for s in 0..<20 {
            let t = Double(19 - s) / 19
            c.rect(barX, top + Double(s) * plotH / 20, 14, plotH / 20 + 0.5, fill: Palette.sequential(t))
        }
        c.rect(barX, top, 14, plotH, fill: "none", stroke: "#444")
        c.text(String(peak), barX + 20, top + 9, size: 10)
        c.text("0", barX + 20, top + plotH, size: 10)
        c.text("spikes", barX - 2, top - 8, size: 10)
        return c.svg(id: dnResponsesID, title: "DN responses per image",
                     description: "Spike count of each detection neuron in each image's stimulus window of the best evaluation; outlined cells are the labelled DN.")
    }
}
