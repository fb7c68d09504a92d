extension Array where Element == UInt8 {
    /// `withUnsafeBytes` that keeps the body's typed error. The standard library's version
    /// rethrows `any Error`, which would erase the domain error every caller here throws.
    package func withBytes<Result, Failure: Error>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try withUnsafeBytes { buffer in Swift.Result { () throws(Failure) in try body(buffer) } }.get()
    }

    /// `withUnsafeMutableBytes` that keeps the body's typed error.
    package mutating func withMutableBytes<Result, Failure: Error>(
        _ body: (UnsafeMutableRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try withUnsafeMutableBytes { buffer in Swift.Result { () throws(Failure) in try body(buffer) } }.get()
    }
}
