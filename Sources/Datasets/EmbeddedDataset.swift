import Randomness

/// The default data set, drawn procedurally: needs no files.
///
/// Images imitate the seed study's CSV (80 images, studied for this): grey shapes on an
/// exactly-zero background with soft, anti-aliased edges.
///
/// - **dull** (0): an empty frame at the very edge of the image, as in the seed (whose 20
///   dull images are all one image): a bright one-pixel border (grey ≈ 130…255, the corners
///   brightest) and a faint inner ring (grey ≈ 1…30, brighter at its corners, with a few
///   gaps); nothing inside. 198…208 non-zero pixels, mean 87…135 (seed: 203, mean 107).
/// - **unknown** (1): a small soft dot with a saturated core, anywhere: 8…24 non-zero
///   pixels, mean 49…102 (seed: 8…21, mean 50…131).
/// - **rubbish** (2): a hollow, irregular closed outline (stroke ≈ 1 pixel, anti-aliased)
///   around an empty inside, small (radius ≈ 4.5…5.2) or large (≈ 6.5…8.5, often with a
///   crease drawn inwards from the rim): 46…105 or 142…229 non-zero pixels, mean 48…126
///   (seed: 40…68 or 141…216, mean 29…122; the seed's small outlines are a little smaller,
///   with faint pixels inside, but here the inside of every outline is empty).
/// - **food** (3): a filled, irregular blob (an apple), small (radius ≈ 3…5) or large
///   (≈ 8.5…10), usually with a short stem on top: 39…122 or 259…399 non-zero pixels, mean
///   115…229 (seed: 44…130 or 296…394, mean 152…213).
///
/// (Ranges measured over 1200 images per class.) Position, size, aspect, orientation,
/// irregularity, stroke, blur, brightness and per-pixel noise vary from image to image.
///
/// Each image is a pure function of (seed, index, class), drawn from its own stream
/// `SeedTree(seed).child("embedded-dataset").child(index)`: generating 10 or 1000 images
/// gives the same first 10. The drawing uses only +, −, ×, ÷ and square roots (no libm), so
/// the bytes are the same on every platform.
public enum EmbeddedDataset {
    /// `count` images labelled by the seed rotation (image i has class
    /// `LabelRule.seedRotationPattern[i mod 8]`), drawn from `seed`.
    public static func generate(count: Int, seed: UInt64) -> LabelledImages {
        // The seed rotation is valid and a rotation cannot fail; `try!` cannot trap here.
        try! generate(count: count, seed: seed, labels: .seedRotation)
    }

    /// `count` images drawn from `seed`, image i of the class the label rule gives it: a
    /// rotation, or a labels file with exactly `count` labels 0…3. A label column
    /// (``LabelRule/column(index:)``) applies only to CSV files and is an error here.
    ///
    /// - Precondition: `count >= 0`.
    public static func generate(count: Int, seed: UInt64, labels rule: LabelRule) throws -> LabelledImages {
        precondition(count >= 0, "count must not be negative")
        let labels = try LabelRule.labels(for: rule, count: count, classCount: 4, imagesSource: "the generated set")
        var pixels: [UInt8] = []
        pixels.reserveCapacity(count * LabelledImages.pixelsPerImage)
        for (index, label) in labels.enumerated() {
            pixels.append(contentsOf: image(ofClass: label, seed: seed, index: index))
        }
        return try LabelledImages(pixels: pixels, labels: labels)
    }

    /// Image `index` of class `label` (0 dull, 1 unknown, 2 rubbish, 3 food) in the set drawn
    /// from `seed`: 784 row-major grey values.
    ///
    /// - Precondition: `label` is 0…3 and `index >= 0`.
    public static func image(ofClass label: Int, seed: UInt64, index: Int) -> [UInt8] {
        precondition((0...3).contains(label), "class \(label) is outside 0…3")
        precondition(index >= 0, "index must not be negative")
        var rng = SeedTree(seed).child("embedded-dataset").child(UInt64(index)).generator()
        switch label {
        case 0: return dull(&rng)
        case 1: return dot(&rng)
        case 2: return outline(&rng)
        default: return blob(&rng)
        }
    }

    // MARK: - The four classes

    private static let size = LabelledImages.width  // 28 (images are square)

    /// An empty frame at the edge of the image, like the seed's (whose dull images are all
    /// one image): a bright border, a faint inner ring, nothing inside.
    static func dull(_ rng: inout Xoshiro256StarStar) -> [UInt8] {
        var image = [UInt8](repeating: 0, count: size * size)
        let base = rng.uniform(165, 225)
        let sides = (0..<4).map { _ in base + rng.uniform(-25, 25) }  // top, bottom, left, right
        let faint = rng.uniform(4, 16)
        let last = size - 1
        for y in 0..<size {
            for x in 0..<size {
                let value: Double
                if y == 0 || y == last || x == 0 || x == last {
                    if (y == 0 || y == last) && (x == 0 || x == last) {
                        value = rng.uniform(235, 255)
                    } else {
                        let side = y == 0 ? 0 : y == last ? 1 : x == 0 ? 2 : 3
                        value = sides[side] + rng.uniform(-12, 12)
                    }
                    image[y * size + x] = UInt8(max(1, min(255, value.rounded())))
                } else if y == 1 || y == last - 1 || x == 1 || x == last - 1 {
                    let corner = (y == 1 || y == last - 1) && (x == 1 || x == last - 1)
                    let level = corner ? rng.uniform(100, 220) : faint * (1 + rng.uniform(-0.8, 0.8))
                    let gap = rng.nextUniformDouble() < 0.03
                    image[y * size + x] = gap ? 0 : UInt8(max(1, min(255, level.rounded())))
                }
            }
        }
        return image
    }

    /// A small soft dot anywhere in the image.
    static func dot(_ rng: inout Xoshiro256StarStar) -> [UInt8] {
        let radius = rng.uniform(0.8, 1.3)
        let cx = rng.uniform(3.5, 24.5), cy = rng.uniform(3.5, 24.5)
        let area = Window(cx - radius, cy - radius, cx + radius, cy + radius)
        var coverage = rasterize(area) { x, y in (x - cx) * (x - cx) + (y - cy) * (y - cy) < radius * radius }
        blur(&coverage, rng.uniform(0.02, 0.1))
        // Ink saturates: scale so the densest pixel reaches `gain`, then clip at 1, which
        // gives the seed's dots their solid bright core.
        let gain = rng.uniform(1.2, 1.8) / (coverage.max() ?? 1)
        let inked = coverage.map { min(1, $0 * gain) }
        return finish(inked, peak: rng.uniform(210, 255), noise: rng.uniform(0.05, 0.15), rng: &rng)
    }

    /// A hollow outline, small or large; large ones often have a crease from the rim inwards.
    static func outline(_ rng: inout Xoshiro256StarStar) -> [UInt8] {
        let large = rng.nextUniformDouble() < 0.5
        let radius = large ? rng.uniform(6.5, 8.5) : rng.uniform(4.5, 5.2)
        let aspect = large ? rng.uniform(0.8, 1.2) : rng.uniform(0.9, 1.1)
        let wobble = large ? rng.uniform(0.04, 0.1) : rng.uniform(0.02, 0.05)
        let reach = max(radius * aspect, radius / aspect) * (1 + 2 * wobble) + 1
        let cx = rng.centre(reach), cy = rng.centre(reach)
        let shape = Wobbly(cx: cx, cy: cy, rx: radius * aspect, ry: radius / aspect, wobble: wobble, rng: &rng)
        let halfStroke = (large ? rng.uniform(0.9, 1.3) : rng.uniform(0.7, 1.0)) / 2
        var crease: Segment? = nil
        if large, rng.nextUniformDouble() < 0.6 {
            let (ux, uy) = rng.unitVector()
            let outer = radius * 0.95, inner = radius * rng.uniform(0.35, 0.6)
            crease = Segment(ax: cx + ux * outer, ay: cy + uy * outer, bx: cx + ux * inner, by: cy + uy * inner)
        }
        var coverage = rasterize(Window(cx - reach, cy - reach, cx + reach, cy + reach)) { x, y in
            abs(shape.distance(x, y)) < halfStroke || (crease?.distance(x, y) ?? .infinity) < halfStroke
        }
        blur(&coverage, large ? rng.uniform(0.06, 0.16) : rng.uniform(0.0, 0.04))
        return finish(coverage, peak: rng.uniform(190, 250), noise: rng.uniform(0.05, 0.15), rng: &rng)
    }

    /// A filled blob, small or large, usually with a short stem on top.
    static func blob(_ rng: inout Xoshiro256StarStar) -> [UInt8] {
        let large = rng.nextUniformDouble() < 0.5
        let radius = large ? rng.uniform(8.5, 10) : rng.uniform(3, 5)
        let aspect = rng.uniform(0.88, 1.12)
        let wobble = rng.uniform(0.02, 0.07)
        let stemLength = large ? rng.uniform(2, 5) : rng.uniform(1, 2.5)
        let reach = max(radius * aspect, radius / aspect) * (1 + 2 * wobble)
        let cx = rng.centre(reach + 0.5)
        let cy = rng.centre(reach + 0.5, above: stemLength)
        let shape = Wobbly(cx: cx, cy: cy, rx: radius * aspect, ry: radius / aspect, wobble: wobble, rng: &rng)
        let hasStem = rng.nextUniformDouble() < 0.8
        let tilt = rng.uniform(-0.4, 0.4)
        let stemHalfWidth = rng.uniform(0.5, 0.8)
        // The stem starts inside the blob, so it always joins it.
        let top = cy - min(radius * aspect, radius / aspect) * 0.9
        let stem = Segment(ax: cx, ay: top + 1, bx: cx + tilt * stemLength, by: top - stemLength)
        let window = Window(cx - reach, min(cy - reach, top - stemLength - 1), cx + reach, cy + reach)
        var coverage = rasterize(window) { x, y in
            shape.distance(x, y) < 0 || (hasStem && stem.distance(x, y) < stemHalfWidth)
        }
        blur(&coverage, rng.uniform(0, 0.05))
        return finish(coverage, peak: rng.uniform(215, 255), noise: rng.uniform(0.03, 0.1), rng: &rng)
    }

    // MARK: - Drawing

    /// A rectangle of the image, in pixel coordinates (pixel (x, y) spans [x, x+1) × [y, y+1)).
    struct Window {
        var x0, y0, x1, y1: Double
        init(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) {
            (self.x0, self.y0, self.x1, self.y1) = (x0, y0, x1, y1)
        }
    }

    /// The fraction of each pixel inside a shape, from 4×4 samples per pixel, for the pixels
    /// overlapping `window` (all others are 0).
    static func rasterize(_ window: Window, inside: (Double, Double) -> Bool) -> [Double] {
        var coverage = [Double](repeating: 0, count: size * size)
        let xs = max(0, Int(window.x0) - 1)...min(size - 1, Int(window.x1) + 1)
        let ys = max(0, Int(window.y0) - 1)...min(size - 1, Int(window.y1) + 1)
        for y in ys {
            for x in xs {
                var hits = 0
                for sy in 0..<4 {
                    for sx in 0..<4 where inside(Double(x) + (Double(sx) + 0.5) / 4, Double(y) + (Double(sy) + 0.5) / 4) {
                        hits += 1
                    }
                }
                coverage[y * size + x] = Double(hits) / 16
            }
        }
        return coverage
    }

    /// A separable 3×3 blur with weights (b, 1, b) along each axis, normalised; zero outside.
    static func blur(_ image: inout [Double], _ b: Double) {
        guard b > 0 else { return }
        let norm = 1 + 2 * b
        var pass = [Double](repeating: 0, count: size * size)
        for y in 0..<size {
            for x in 0..<size {
                let left = x > 0 ? image[y * size + x - 1] : 0
                let right = x < size - 1 ? image[y * size + x + 1] : 0
                pass[y * size + x] = (image[y * size + x] + b * (left + right)) / norm
            }
        }
        for y in 0..<size {
            for x in 0..<size {
                let up = y > 0 ? pass[(y - 1) * size + x] : 0
                let down = y < size - 1 ? pass[(y + 1) * size + x] : 0
                image[y * size + x] = (pass[y * size + x] + b * (up + down)) / norm
            }
        }
    }

    /// Grey values: coverage × peak × (1 ± noise), rounded; values under 3 become exactly 0
    /// (the background is clean, as in the seed).
    static func finish(_ coverage: [Double], peak: Double, noise: Double, rng: inout Xoshiro256StarStar) -> [UInt8] {
        coverage.map { value in
            let grey = (value * peak * (1 + rng.uniform(-noise, noise))).rounded()
            return grey < 3 ? 0 : UInt8(min(255, grey))
        }
    }

    /// An ellipse with radii (rx, ry), turned by a random angle, whose radius wobbles with
    /// random 2nd and 3rd harmonics.
    struct Wobbly {
        let cx, cy, rx, ry, cosA, sinA: Double
        let harmonics: [Double]  // a2, b2, a3, b3

        init(cx: Double, cy: Double, rx: Double, ry: Double, wobble: Double, rng: inout Xoshiro256StarStar) {
            (self.cx, self.cy, self.rx, self.ry) = (cx, cy, rx, ry)
            (cosA, sinA) = rng.unitVector()
            harmonics = (0..<4).map { _ in rng.uniform(-wobble, wobble) }
        }

        /// Approximately the signed distance in pixels from (x, y) to the rim along the ray
        /// from the centre: negative inside.
        func distance(_ x: Double, _ y: Double) -> Double {
            let dx = x - cx, dy = y - cy
            let ex = (dx * cosA + dy * sinA) / rx
            let ey = (dy * cosA - dx * sinA) / ry
            let rho = (ex * ex + ey * ey).squareRoot()
            guard rho > 1e-12 else { return -min(rx, ry) }
            // cos kθ and sin kθ of the ray's angle from its cosine and sine (no libm).
            let c = ex / rho, s = ey / rho
            let c2 = c * c - s * s, s2 = 2 * c * s
            let c3 = 4 * c * c * c - 3 * c, s3 = 3 * s - 4 * s * s * s
            let rim = 1 + harmonics[0] * c2 + harmonics[1] * s2 + harmonics[2] * c3 + harmonics[3] * s3
            return (dx * dx + dy * dy).squareRoot() * (rho - rim) / rho
        }
    }

    /// A line segment; `distance` is the distance from a point to it (a capsule's SDF + radius).
    struct Segment {
        let ax, ay, bx, by: Double
        func distance(_ x: Double, _ y: Double) -> Double {
            let vx = bx - ax, vy = by - ay, wx = x - ax, wy = y - ay
            let t = max(0, min(1, (wx * vx + wy * vy) / (vx * vx + vy * vy)))
            let qx = wx - t * vx, qy = wy - t * vy
            return (qx * qx + qy * qy).squareRoot()
        }
    }
}

extension Xoshiro256StarStar {
    /// Uniform in [a, b).
    mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * nextUniformDouble() }

    /// A uniformly random direction, by rejection from the square (no trigonometry).
    mutating func unitVector() -> (Double, Double) {
        while true {
            let u = uniform(-1, 1), v = uniform(-1, 1)
            let n = u * u + v * v
            if n > 0.01, n <= 1 {
                let length = n.squareRoot()
                return (u / length, v / length)
            }
        }
    }

    /// A centre coordinate that keeps a shape reaching `reach` pixels from its centre (and
    /// `above` more pixels upwards) inside the image with a pixel to spare; the middle of the
    /// image when the shape is too big for that.
    mutating func centre(_ reach: Double, above: Double = 0) -> Double {
        let lo = 1 + reach + above, hi = 27 - reach
        let value = uniform(lo, hi)  // drawn even when unused, to keep the stream's shape fixed
        return lo <= hi ? value : 14 + above / 2
    }
}
