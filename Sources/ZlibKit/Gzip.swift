import CZlib
public import CodedErrors

/// GZIP members (RFC 1952) through zlib: what W3C Bitstring Status Lists compress with.
///
/// Decompression is bounded by the caller's limit and refuses anything but exactly one whole
/// member (trailing bytes, a truncated stream, a bad CRC), so a hostile list can neither make
/// us allocate without bound nor pass for a shorter or longer one.
public enum Gzip {
    /// The GZIP member of `input` (best compression: lists are written rarely, read often).
    public static func compress(_ input: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        // windowBits 15 + 16 asks deflate for a gzip header and trailer.
        precondition(
            deflateInit2_(
                &stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                Int32(MemoryLayout<z_stream>.size)) == Z_OK, "deflateInit2 failed")
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(input.count))) + 32
        var output = [UInt8](repeating: 0, count: bound)
        var source = input
        let produced: Int = source.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = uInt(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
                precondition(deflate(&stream, Z_FINISH) == Z_STREAM_END, "deflate into its bound failed")
                return outBuffer.count - Int(stream.avail_out)
            }
        }
        output.removeSubrange(produced...)
        return output
    }

    /// The content of one GZIP member.
    ///
    /// - Throws: ``GzipError`` `.corruptInput` for anything but exactly one valid member,
    ///   `.outputTooLarge` when the content would exceed `maxOutputSize` bytes.
    public static func decompress(_ input: [UInt8], maxOutputSize: Int) throws(GzipError) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw GzipError(.corruptInput, "zlib could not start inflating")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var source = input
        var status: Int32 = Z_OK
        let consumed: Int = source.withUnsafeMutableBufferPointer { inBuffer in
            stream.next_in = inBuffer.baseAddress
            stream.avail_in = uInt(inBuffer.count)
            repeat {
                let produced: Int = chunk.withUnsafeMutableBufferPointer { outBuffer in
                    stream.next_out = outBuffer.baseAddress
                    stream.avail_out = uInt(outBuffer.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return outBuffer.count - Int(stream.avail_out)
                }
                output += chunk.prefix(produced)
            } while status == Z_OK && output.count <= maxOutputSize && (stream.avail_in > 0 || stream.avail_out == 0)
            return inBuffer.count - Int(stream.avail_in)
        }
        guard output.count <= maxOutputSize else {
            throw GzipError(.outputTooLarge, "the GZIP content exceeds \(maxOutputSize) bytes")
        }
        guard status == Z_STREAM_END else {
            throw GzipError(.corruptInput, "not a whole GZIP member (zlib status \(status))")
        }
        guard consumed == input.count else {
            throw GzipError(.corruptInput, "\(input.count - consumed) bytes follow the GZIP member")
        }
        return output
    }
}

/// An error from ``Gzip``, compared by ``code``.
public struct GzipError: CodedError {
    public typealias Code = ErrorCode<GzipError>

    public let code: Code
    public let message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}

extension ErrorCode where Domain == GzipError {
    /// Not exactly one valid GZIP member.
    public static var corruptInput: Self { Self("corrupt-input") }
    /// The content is larger than the caller accepts.
    public static var outputTooLarge: Self { Self("output-too-large") }
}
