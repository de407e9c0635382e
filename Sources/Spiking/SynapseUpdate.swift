/// The synapse phase of a step (GeNN's `updateSynapses`): for the spikes emitted in the
/// previous step, every group's presynaptic rule (StaticPulse delivery and the STDP pre rules),
/// then every plastic group's postsynaptic learning. Weights of plastic groups are updated in
/// place; nothing here allocates except the seed's additive-STDP sparse post rule.
extension Network {
    func deliverPresynapticSpikes(_ g: SynapseGroup, tMs t: Float) {
        let pre = populations[g.source]
        guard !pre.spikes.isEmpty else { return }
        let post = populations[g.target]
        let nPost = g.postCount
        let transmits = g.rule.transmits(isPlastic: g.isPlastic)
        switch (g.connectivity, g.weights) {
        case (.sparse(let rows), .global(let w)):
            g.inSyn.withUnsafeMutableBufferPointer { inSyn in
                rows.rowStart.withUnsafeBufferPointer { rowStart in
                    rows.targets.withUnsafeBufferPointer { targets in
                        for i in pre.spikes {
                            for s in Int(rowStart[Int(i)])..<Int(rowStart[Int(i) + 1]) {
                                inSyn[Int(targets[s])] += w
                            }
                        }
                    }
                }
            }
        case (.sparse(let rows), .individual(var ws)):
            g.weights = .global(0)  // release the array's buffer so updates are in place
            g.inSyn.withUnsafeMutableBufferPointer { inSyn in
                for i in pre.spikes {
                    for s in Int(rows.rowStart[Int(i)])..<Int(rows.rowStart[Int(i) + 1]) {
                        let j = Int(rows.targets[s])
                        if transmits { inSyn[j] += ws[s] }
                        guard g.isPlastic else { continue }
                        switch g.rule {
                        case .staticPulse: break
                        case .additiveSTDP(let p):
                            ws[s] = p.afterPresynapticSpike(ws[s], deltaMs: t - post.lastSpikeTimeMs[j])
                        case .symmetricSTDP(let p):
                            ws[s] = p.afterPresynapticSpike(ws[s], deltaMs: t - post.lastSpikeTimeMs[j])
                        }
                    }
                }
            }
            g.weights = .individual(ws)
        case (.dense, .global(let w)):
            g.inSyn.withUnsafeMutableBufferPointer { inSyn in
                for _ in pre.spikes { for j in 0..<nPost { inSyn[j] += w } }
            }
        case (.dense, .individual(var ws)):
            g.weights = .global(0)
            g.inSyn.withUnsafeMutableBufferPointer { inSyn in
            ws.withUnsafeMutableBufferPointer { ws in
            post.lastSpikeTimeMs.withUnsafeBufferPointer { stPost in
                for i in pre.spikes {
                    let row = Int(i) * nPost
                    if transmits { for j in 0..<nPost { inSyn[j] += ws[row + j] } }
                    guard g.isPlastic else { continue }
                    switch g.rule {
                    case .staticPulse: break
                    case .additiveSTDP(let p):
                        for j in 0..<nPost { ws[row + j] = p.afterPresynapticSpike(ws[row + j], deltaMs: t - stPost[j]) }
                    case .symmetricSTDP(let p):
                        for j in 0..<nPost { ws[row + j] = p.afterPresynapticSpike(ws[row + j], deltaMs: t - stPost[j]) }
                    }
                }
            }}}
            g.weights = .individual(ws)
        }
    }

    func applyPostsynapticLearning(_ g: SynapseGroup, tMs t: Float) {
        guard g.isPlastic else { return }
        switch g.rule {
        case .staticPulse: return
        case .additiveSTDP(let p): applyAdditiveSTDP(g, p, tMs: t)
        case .symmetricSTDP(let p): applySymmetricSTDP(g, p, tMs: t)
        }
    }

    private func applyAdditiveSTDP(_ g: SynapseGroup, _ p: AdditiveSTDPParameters, tMs t: Float) {
        let post = populations[g.target]
        guard !post.spikes.isEmpty, case .individual(var ws) = g.weights else { return }
        let pre = populations[g.source]
        g.weights = .global(0)
        let nPost = g.postCount
        switch g.connectivity {
        case .dense:
            for j in post.spikes {
                let j = Int(j)
                for i in 0..<g.preCount {
                    ws[i * nPost + j] = p.afterPostsynapticSpike(ws[i * nPost + j], deltaMs: t - pre.lastSpikeTimeMs[i])
                }
            }
        case .sparse(let rows):
            let spiking = Set(post.spikes.map(Int.init))
            for i in 0..<g.preCount {
                for s in Int(rows.rowStart[i])..<Int(rows.rowStart[i + 1]) where spiking.contains(Int(rows.targets[s])) {
                    ws[s] = p.afterPostsynapticSpike(ws[s], deltaMs: t - pre.lastSpikeTimeMs[i])
                }
            }
        }
        g.weights = .individual(ws)
    }

    /// Dense: one SIMD column update per postsynaptic spike (``SymmetricSTDP``). Sparse: every
    /// synapse onto a spiking target, found by binary search in the sorted spike list.
    /// Allocation-free.
    private func applySymmetricSTDP(_ g: SynapseGroup, _ p: SymmetricSTDPParameters, tMs t: Float) {
        let post = populations[g.target]
        guard !post.spikes.isEmpty, case .individual(var ws) = g.weights else { return }
        let pre = populations[g.source]
        g.weights = .global(0)
        let nPost = g.postCount
        ws.withUnsafeMutableBufferPointer { ws in
        pre.lastSpikeTimeMs.withUnsafeBufferPointer { stPre in
            guard let base = ws.baseAddress else { return }
            switch g.connectivity {
            case .dense:
                for j in post.spikes {
                    SymmetricSTDP.postsynapticColumn(base + Int(j), stride: nPost, preSpikeTimesMs: stPre, tMs: t, parameters: p)
                }
            case .sparse(let rows):
                post.spikes.withUnsafeBufferPointer { spikes in
                    for i in 0..<g.preCount {
                        for s in Int(rows.rowStart[i])..<Int(rows.rowStart[i + 1])
                        where Self.sortedContains(spikes, rows.targets[s]) {
                            ws[s] = p.afterPostsynapticSpike(ws[s], deltaMs: t - stPre[i])
                        }
                    }
                }
            }
        }}
        g.weights = .individual(ws)
    }

    private static func sortedContains(_ a: UnsafeBufferPointer<Int32>, _ x: Int32) -> Bool {
        var lo = 0, hi = a.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if a[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo < a.count && a[lo] == x
    }
}
