public import Multiformats

/// A dag-pb node: optional data and an ordered list of links (multicodec 0x70).
///
/// Spec: ipld/specs `block-layer/codecs/dag-pb.md`. The bytes are protobuf with one twist that
/// decides every CID: Links (field 2) are written **before** Data (field 1). Decoding is strict,
/// as the spec asks: Links all before Data, Data at most once, no unknown fields, link fields in
/// the order Hash, Name, Tsize, each at most once, Hash present and a valid CID.
///
/// Links are kept in the order given; callers that build UnixFS directories sort them by name.
public struct DagPBNode: Hashable, Sendable {
    public var data: [UInt8]?
    public var links: [DagPBLink]

    public init(data: [UInt8]? = nil, links: [DagPBLink] = []) {
        self.data = data
        self.links = links
    }

    /// The node's canonical bytes.
    public func encoded() -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(encodedLength)
        encode(into: &output)
        return output
    }

    /// Appends the node's canonical bytes.
    public func encode(into output: inout [UInt8]) {
        for link in links {
            Protobuf.appendTag(field: 2, wireType: Protobuf.lengthDelimited, to: &output)
            Protobuf.appendVarint(UInt64(link.encodedLength), to: &output)
            link.encode(into: &output)
        }
        if let data { Protobuf.appendBytes(field: 1, data, to: &output) }
    }

    /// The length of ``encoded()``, computed without encoding.
    public var encodedLength: Int {
        var length = 0
        for link in links {
            let linkLength = link.encodedLength
            length += 1 + Protobuf.varintLength(UInt64(linkLength)) + linkLength
        }
        if let data { length += 1 + Protobuf.varintLength(UInt64(data.count)) + data.count }
        return length
    }

    /// Decodes a dag-pb block.
    ///
    /// - Throws: ``IPLDError``: `.truncated`, `.invalidEncoding` (wrong field, wire type or
    ///   order), `.nonCanonical` (over-long varints) or `.invalidLink`.
    public init(bytes: [UInt8]) throws(IPLDError) {
        var reader = Protobuf.Reader(bytes)
        var data: [UInt8]?
        var links: [DagPBLink] = []
        while !reader.isAtEnd {
            let start = reader.position
            let (field, wireType) = try reader.readTag()
            guard wireType == Protobuf.lengthDelimited, field == 1 || field == 2 else {
                throw IPLDError(
                    .invalidEncoding,
                    "unexpected field \(field) with wire type \(wireType) in PBNode",
                    offset: start
                )
            }
            let range = try reader.readLengthDelimited()
            if field == 1 {
                if data != nil { throw IPLDError(.invalidEncoding, "duplicate Data section", offset: start) }
                data = Array(reader.slice(range))
            } else {
                if data != nil {
                    throw IPLDError(.invalidEncoding, "duplicate Links section (links after Data)", offset: start)
                }
                links.append(try DagPBLink(bytes: bytes, range: range))
            }
        }
        self.init(data: data, links: links)
    }
}

/// A link in a dag-pb node: the child's CID, an optional name and an optional cumulative size.
public struct DagPBLink: Hashable, Sendable {
    public var hash: CID
    /// Absent and empty are different: UnixFS file nodes write an empty name on every link.
    public var name: String?
    /// The child's block size plus the sizes of everything below it (UnixFS "Tsize").
    public var tsize: UInt64?

    public init(hash: CID, name: String? = nil, tsize: UInt64? = nil) {
        self.hash = hash
        self.name = name
        self.tsize = tsize
    }

    var encodedLength: Int {
        var length = 1 + Protobuf.varintLength(UInt64(hash.bytes.count)) + hash.bytes.count
        if let name {
            let count = name.utf8.count
            length += 1 + Protobuf.varintLength(UInt64(count)) + count
        }
        if let tsize { length += 1 + Protobuf.varintLength(tsize) }
        return length
    }

    func encode(into output: inout [UInt8]) {
        Protobuf.appendBytes(field: 1, hash.bytes, to: &output)
        if let name { Protobuf.appendBytes(field: 2, name.utf8, to: &output) }
        if let tsize { Protobuf.appendUInt(field: 3, tsize, to: &output) }
    }

    init(bytes: [UInt8], range: Range<Int>) throws(IPLDError) {
        var reader = Protobuf.Reader(bytes, range: range)
        var hash: CID?
        var name: String?
        var tsize: UInt64?
        var lastField: UInt64 = 0
        while !reader.isAtEnd {
            let start = reader.position
            let (field, wireType) = try reader.readTag()
            guard field > lastField else {
                throw IPLDError(.invalidEncoding, "PBLink field \(field) out of order or repeated", offset: start)
            }
            lastField = field
            switch (field, wireType) {
            case (1, Protobuf.lengthDelimited):
                let hashRange = try reader.readLengthDelimited()
                do {
                    hash = try CID(bytes: Array(reader.slice(hashRange)))
                } catch {
                    throw IPLDError(.invalidLink, "PBLink Hash is not a CID: \(error)", offset: hashRange.lowerBound)
                }
            case (2, Protobuf.lengthDelimited):
                let nameRange = try reader.readLengthDelimited()
                guard let text = String(validating: reader.slice(nameRange), as: UTF8.self) else {
                    throw IPLDError(.invalidEncoding, "PBLink Name is not valid UTF-8", offset: nameRange.lowerBound)
                }
                name = text
            case (3, Protobuf.varint):
                tsize = try reader.readVarint()
            default:
                throw IPLDError(
                    .invalidEncoding,
                    "unexpected field \(field) with wire type \(wireType) in PBLink",
                    offset: start
                )
            }
        }
        guard let hash else {
            throw IPLDError(.invalidLink, "Invalid Hash field found in link, expected CID", offset: range.lowerBound)
        }
        self.init(hash: hash, name: name, tsize: tsize)
    }
}
