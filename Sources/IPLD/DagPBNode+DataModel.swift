import Multiformats

extension DagPBNode {
    /// The node as an IPLD data-model value: `{"Data": bytes?, "Links": [{"Hash", "Name"?, "Tsize"?}]}`,
    /// as the dag-pb spec's schema lays it out (Links always present, possibly empty).
    public var dataModel: IPLDValue {
        var fields: [(String, IPLDValue)] = [
            (
                "Links",
                .list(
                    links.map { link in
                        var linkFields: [(String, IPLDValue)] = [("Hash", .link(link.hash))]
                        if let name = link.name { linkFields.append(("Name", .string(name))) }
                        if let tsize = link.tsize { linkFields.append(("Tsize", .integer(Int128(tsize)))) }
                        return .map(IPLDMap(linkFields))
                    }
                )
            )
        ]
        if let data { fields.append(("Data", .bytes(data))) }
        return .map(IPLDMap(fields))
    }

    /// Builds a node from its data-model form, refusing anything outside the dag-pb schema.
    ///
    /// - Throws: ``IPLDError`` `.invalidForm`, with the reason the spec's fixtures name: Links
    ///   must be a list, Data must be bytes, a link must have a Hash that is a CID, a Name that is
    ///   a string, a Tsize that is a non-negative integer, no other fields, and links sorted by
    ///   Name bytes.
    public init(dataModel value: IPLDValue) throws(IPLDError) {
        guard case .map(let map) = value else { throw Self.formError("a dag-pb node must be a map") }
        var data: [UInt8]?
        var links: [DagPBLink]?
        for entry in map {
            switch entry.key {
            case "Data":
                guard case .bytes(let bytes) = entry.value else { throw Self.formError("Data must be bytes") }
                data = bytes
            case "Links":
                guard case .list(let list) = entry.value else { throw Self.formError("Links must be a list") }
                links = try list.map { (value) throws(IPLDError) in try Self.link(from: value) }
            default:
                throw Self.formError("extraneous properties")
            }
        }
        guard let links else { throw Self.formError("Links must be a list") }
        for (previous, next) in zip(links, links.dropFirst())
        where next.nameBytes.lexicographicallyPrecedes(previous.nameBytes) {
            throw Self.formError("links must be sorted by Name bytes")
        }
        self.init(data: data, links: links)
    }

    private static func link(from value: IPLDValue) throws(IPLDError) -> DagPBLink {
        guard case .map(let map) = value else { throw formError("bad link") }
        var hash: CID?
        var name: String?
        var tsize: UInt64?
        for entry in map {
            switch entry.key {
            case "Hash":
                guard case .link(let cid) = entry.value else { throw formError("link Hash must be a CID") }
                hash = cid
            case "Name":
                guard case .string(let text) = entry.value else { throw formError("link Name must be a string") }
                name = text
            case "Tsize":
                guard case .integer(let integer) = entry.value else { throw formError("link Tsize must be an integer") }
                guard integer >= 0 else { throw formError("link Tsize cannot be negative") }
                guard integer <= Int128(UInt64.max) else { throw formError("link Tsize does not fit 64 bits") }
                tsize = UInt64(integer)
            default:
                throw formError("extraneous properties on link")
            }
        }
        guard let hash else { throw formError("link must have a Hash") }
        return DagPBLink(hash: hash, name: name, tsize: tsize)
    }

    private static func formError(_ reason: String) -> IPLDError {
        IPLDError(.invalidForm, "Invalid DAG-PB form (\(reason))")
    }
}

extension DagPBLink {
    /// The name's bytes, with an absent name sorting as empty.
    var nameBytes: String.UTF8View { (name ?? "").utf8 }
}
