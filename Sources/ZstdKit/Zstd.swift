import CZstd
import CodedErrors

/// zstd compression of whole values (store values, not streams).
///
/// Every frame records its content size, so decompression allocates once and refuses a frame
/// that claims more than the caller's limit before doing any work: a hostile value cannot make
/// us allocate gigabytes. Each call makes its own zstd context; the stores that compress on a
/// hot path will keep one per thread (a later change, when a benchmark asks for it).
public enum Zstd {
    /// zstd's default level: a good ratio at several hundred MB/s.
    public static let defaultLevel: Int32 = 3

    // ZSTD_CONTENTSIZE_UNKNOWN and _ERROR are macros Swift cannot import: (0ULL - 1), (0ULL - 2).
    private static let contentSizeUnknown = UInt64.max
    private static let contentSizeError = UInt64.max - 1

    /// The compressed frame of `input`.
    public static func compress(_ input: UnsafeRawBufferPointer, level: Int32 = defaultLevel) -> [UInt8] {
        let bound = ZSTD_compressBound(input.count)
        var output = [UInt8](repeating: 0, count: bound)
        let written = output.withUnsafeMutableBytes { out in
            ZSTD_compress(out.baseAddress, bound, input.baseAddress, input.count, level)
        }
        // Compressing into a buffer of compressBound bytes cannot fail.
        precondition(ZSTD_isError(written) == 0, "ZSTD_compress failed: \(String(cString: ZSTD_getErrorName(written)))")
        output.removeSubrange(written...)
        return output
    }

    /// The compressed frame of `input`.
    public static func compress(_ input: [UInt8], level: Int32 = defaultLevel) -> [UInt8] {
        input.withUnsafeBytes { compress($0, level: level) }
    }

    /// The content of one zstd frame.
    ///
    /// - Parameter maxOutputSize: the most bytes the caller will accept.
    /// - Throws: ``ZstdError`` `.corruptInput` for anything that is not exactly one valid frame
    ///   with a recorded size, `.outputTooLarge` for a frame over `maxOutputSize`.
    public static func decompress(_ input: UnsafeRawBufferPointer, maxOutputSize: Int) throws(ZstdError) -> [UInt8] {
        let declared = ZSTD_getFrameContentSize(input.baseAddress, input.count)
        if declared == contentSizeError {
            throw ZstdError(.corruptInput, "input is not a zstd frame")
        }
        if declared == contentSizeUnknown {
            throw ZstdError(.corruptInput, "zstd frame does not record its content size")
        }
        if declared > UInt64(maxOutputSize) {
            throw ZstdError(.outputTooLarge, "frame holds \(declared) bytes, over the limit of \(maxOutputSize)")
        }
        let frameSize = ZSTD_findFrameCompressedSize(input.baseAddress, input.count)
        if ZSTD_isError(frameSize) != 0 || frameSize != input.count {
            throw ZstdError(.corruptInput, "input is not exactly one zstd frame")
        }
        let size = Int(declared)
        var output = [UInt8](repeating: 0, count: size)
        let written = output.withUnsafeMutableBytes { out in
            ZSTD_decompress(out.baseAddress, size, input.baseAddress, input.count)
        }
        if ZSTD_isError(written) != 0 {
            throw ZstdError(.corruptInput, String(cString: ZSTD_getErrorName(written)))
        }
        if written != size {
            throw ZstdError(.corruptInput, "frame decompressed to \(written) bytes, not the \(size) it declares")
        }
        return output
    }

    /// The content of one zstd frame.
    public static func decompress(_ input: [UInt8], maxOutputSize: Int) throws(ZstdError) -> [UInt8] {
        try input.withBytes { (buffer) throws(ZstdError) in try decompress(buffer, maxOutputSize: maxOutputSize) }
    }
}
