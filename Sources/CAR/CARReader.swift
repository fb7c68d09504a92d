public import IPLD
public import Multiformats

/// Reads a CARv1 or CARv2 stream block by block, checking each block against its CID.
///
/// Spec: ipld/specs `transport/car/carv1` and `carv2`; what Cairn accepts is in `Specs/car.md`.
/// The header is read on creation; ``next()`` returns sections until the end. Nothing is
/// trusted: lengths are bounded before anything is allocated, each CID is parsed strictly, and
/// each block's hash is checked before it is returned. A CARv2 is read through its inner CARv1
/// payload (its index, if any, is not needed for a sequential read).
public struct CARReader<Input: CARInput> {
    /// Largest block accepted: kubo refuses blocks over 2 MiB; 4 MiB leaves room for others.
    public static var maxBlockSize: Int { 4 << 20 }
    /// Largest CARv1 header accepted (a header is a root list; a real one is tens of bytes).
    public static var maxHeaderSize: Int { 1 << 20 }

    /// The roots the header names (at least one).
    public private(set) var roots: [CID] = []
    /// 1 or 2.
    public private(set) var version = 1

    private var input: Input
    private var position: UInt64 = 0
    /// For CARv2: where the inner CARv1 payload ends.
    private var payloadEnd: UInt64?
    private var lookahead: [UInt8] = []
    private var lookaheadIndex = 0

    /// Reads and checks the header.
    ///
    /// - Throws: ``CARError`` `.invalidHeader`, `.truncated` or `.tooLarge`; or what the input throws.
    public init(_ input: Input) throws {
        self.input = input
        let (headerBytes, headerStart) = try readHeaderBytes()
        var header = try Self.parseHeader(headerBytes, at: headerStart)
        if header.version == 2 {
            guard headerStart == 0, headerBytes == Self.carV2PragmaBody else {
                throw CARError(.invalidHeader, "CARv2 pragma is not the canonical one", offset: headerStart)
            }
            let fixed = try readExactly(40, what: "CARv2 header")
            let dataOffset = Self.littleEndian(fixed[16..<24])
            let dataSize = Self.littleEndian(fixed[24..<32])
            guard dataOffset >= position, dataSize <= UInt64.max - dataOffset else {
                throw CARError(
                    .invalidHeader, "CARv2 data offset \(dataOffset) or size \(dataSize) is impossible", offset: 11)
            }
            try skip(dataOffset - position)
            payloadEnd = dataOffset + dataSize
            let (innerBytes, innerStart) = try readHeaderBytes()
            header = try Self.parseHeader(innerBytes, at: innerStart)
            guard header.version == 1 else {
                throw CARError(.invalidHeader, "CARv2 payload is not a CARv1", offset: innerStart)
            }
            version = 2
        }
        roots = header.roots
    }

    /// The next block, or nil at the end of the CAR.
    ///
    /// - Throws: ``CARError`` `.truncated`, `.invalidSection`, `.tooLarge` or `.hashMismatch`.
    public mutating func next() throws -> Block? {
        let start = position
        if let payloadEnd, position >= payloadEnd { return nil }
        guard let length = try readVarint(allowEnd: true) else { return nil }
        if let payloadEnd, length > payloadEnd - position {
            throw CARError(.invalidSection, "section of \(length) bytes runs past the CARv2 payload", offset: start)
        }
        guard length <= UInt64(Self.maxBlockSize + 256) else {
            throw CARError(.tooLarge, "section of \(length) bytes is over the limit", offset: start)
        }
        let section = try readExactly(Int(length), what: "section")
        let cid: CID
        let cidLength: Int
        do {
            (cid, cidLength) = try CID.decodePrefix(section)
        } catch {
            throw CARError(.invalidSection, "section does not start with a valid CID: \(error)", offset: start)
        }
        let data = Array(section[cidLength...])
        guard data.count <= Self.maxBlockSize else {
            throw CARError(.tooLarge, "block \(cid) of \(data.count) bytes is over the limit", offset: start)
        }
        do {
            return try Block(verifying: cid, bytes: data)
        } catch {
            throw CARError(.hashMismatch, "block \(cid): \(error.message)", offset: start)
        }
    }

    // MARK: Header

    /// `{"version": 2}` as dag-cbor: the CARv2 pragma after its length byte.
    static var carV2PragmaBody: [UInt8] { [0xa1, 0x67, 0x76, 0x65, 0x72, 0x73, 0x69, 0x6f, 0x6e, 0x02] }

    private mutating func readHeaderBytes() throws -> ([UInt8], UInt64) {
        let start = position
        guard let length = try readVarint(allowEnd: false) else { preconditionFailure("unreachable") }
        guard length > 0 else { throw CARError(.invalidHeader, "empty header", offset: start) }
        guard length <= UInt64(Self.maxHeaderSize) else {
            throw CARError(.tooLarge, "header of \(length) bytes is over the limit", offset: start)
        }
        return (try readExactly(Int(length), what: "header"), start)
    }

    private static func parseHeader(_ bytes: [UInt8], at offset: UInt64) throws -> (version: Int, roots: [CID]) {
        let value: IPLDValue
        do {
            value = try DagCBOR.decode(bytes)
        } catch {
            throw CARError(.invalidHeader, "header is not dag-cbor: \(error)", offset: offset)
        }
        guard case .map(let map) = value, case .integer(let version)? = map["version"] else {
            throw CARError(.invalidHeader, "header has no version", offset: offset)
        }
        if version == 2 {
            return (2, [])
        }
        guard version == 1 else {
            throw CARError(.invalidHeader, "CAR version \(version) is not supported", offset: offset)
        }
        guard case .list(let list)? = map["roots"] else {
            throw CARError(.invalidHeader, "CARv1 header has no roots list", offset: offset)
        }
        guard map.count == 2 else { throw CARError(.invalidHeader, "CARv1 header has unknown fields", offset: offset) }
        let roots = try list.map { value -> CID in
            guard case .link(let cid) = value else {
                throw CARError(.invalidHeader, "a root is not a CID", offset: offset)
            }
            return cid
        }
        guard !roots.isEmpty else { throw CARError(.invalidHeader, "CARv1 header names no roots", offset: offset) }
        return (1, roots)
    }

    // MARK: Input

    /// Reads a varint; nil at a clean end of input when `allowEnd`.
    private mutating func readVarint(allowEnd: Bool) throws -> UInt64? {
        let start = position
        var bytes: [UInt8] = []
        while true {
            let next = try readUpTo(1)
            guard let byte = next.first else {
                if bytes.isEmpty && allowEnd { return nil }
                throw CARError(.truncated, "input ends inside a length", offset: start)
            }
            bytes.append(byte)
            if byte & 0x80 == 0 { break }
            if bytes.count >= Varint.maxLength {
                throw CARError(.invalidSection, "length varint longer than \(Varint.maxLength) bytes", offset: start)
            }
        }
        do {
            return try Varint.decode(bytes).value
        } catch {
            throw CARError(.invalidSection, "bad length: \(error)", offset: start)
        }
    }

    private mutating func readExactly(_ count: Int, what: String) throws -> [UInt8] {
        let start = position
        let bytes = try readUpTo(count)
        guard bytes.count == count else {
            throw CARError(
                .truncated, "input ends \(count - bytes.count) bytes into a \(count)-byte \(what)", offset: start)
        }
        return bytes
    }

    private mutating func skip(_ count: UInt64) throws {
        var left = count
        while left > 0 {
            let chunk = try readUpTo(Int(min(left, 1 << 20)))
            guard !chunk.isEmpty else {
                throw CARError(.truncated, "input ends before the CARv2 payload", offset: position)
            }
            left -= UInt64(chunk.count)
        }
    }

    /// Reads through a lookahead buffer so one-byte varint reads stay cheap.
    private mutating func readUpTo(_ count: Int) throws -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(count)
        while output.count < count {
            if lookaheadIndex == lookahead.count {
                lookahead = try input.read(upTo: max(count - output.count, 64 << 10))
                lookaheadIndex = 0
                if lookahead.isEmpty { break }
            }
            let take = min(count - output.count, lookahead.count - lookaheadIndex)
            output.append(contentsOf: lookahead[lookaheadIndex..<(lookaheadIndex + take)])
            lookaheadIndex += take
        }
        position += UInt64(output.count)
        return output
    }

    private static func littleEndian(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }
}
