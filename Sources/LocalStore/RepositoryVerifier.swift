import Multiformats

/// `repo verify`: reads every stored block and checks it against its multihash.
public enum RepositoryVerifier {
    public struct Report: Sendable, Hashable {
        public var checked: Int
        /// One line per problem, naming the block.
        public var corrupt: [String]
    }

    public static func verify(_ store: BlockStore) throws -> Report {
        var report = Report(checked: 0, corrupt: [])
        try store.forEachMultihash { multihash in
            report.checked += 1
            do {
                try store.check(multihash: multihash)
            } catch {
                report.corrupt.append((error as? StoreError)?.message ?? "\(error)")
            }
        }
        return report
    }
}
