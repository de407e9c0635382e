import Foundation
import Spiking

// Quick kernel throughput probe (replaced by the full benchmark command later).
let neurons = 1024
var V = [SIMD16<Float>](repeating: SIMD16(repeating: -60), count: neurons / 16)
var m = [SIMD16<Float>](repeating: SIMD16(repeating: 0.0529324), count: neurons / 16)
var h = [SIMD16<Float>](repeating: SIMD16(repeating: 0.3176767), count: neurons / 16)
var n = [SIMD16<Float>](repeating: SIMD16(repeating: 0.5961207), count: neurons / 16)
var isyn = [SIMD16<Float>](repeating: SIMD16(repeating: 0), count: neurons / 16)
for c in 0..<isyn.count { for l in 0..<16 { isyn[c][l] = Float(c * 16 + l) / Float(neurons) * 2 } }
let p = TraubMilesParameters()
let steps = 4000
let start = Date()
for _ in 0..<steps {
    for c in 0..<V.count { TraubMiles.step(V: &V[c], m: &m[c], h: &h[c], n: &n[c], isyn: isyn[c], dtMs: 0.1, parameters: p) }
}
let s = Date().timeIntervalSince(start)
print(String(format: "%.1f M neuron-substeps/s  (V0=%f)", Double(neurons * steps * 25) / s / 1e6, V[3][5]))
