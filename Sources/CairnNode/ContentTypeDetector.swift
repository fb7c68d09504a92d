/// Picks a file's `Content-Type` the way gateways do: from the name's extension when it has a
/// known one, else by sniffing the first bytes (a subset of the WHATWG MIME Sniffing patterns),
/// else `text/plain` for UTF-8 text and `application/octet-stream` for the rest.
enum ContentTypeDetector {
    static func contentType(name: String?, prefix: [UInt8]) -> String {
        if let name, let dot = name.lastIndex(of: "."), dot != name.startIndex {
            let ext = name[name.index(after: dot)...].lowercased()
            if let type = byExtension[ext] { return type }
        }
        return sniff(prefix)
    }

    static let byExtension: [String: String] = [
        "html": "text/html; charset=utf-8", "htm": "text/html; charset=utf-8", "css": "text/css; charset=utf-8",
        "js": "text/javascript; charset=utf-8", "mjs": "text/javascript; charset=utf-8",
        "json": "application/json", "txt": "text/plain; charset=utf-8", "md": "text/markdown; charset=utf-8",
        "csv": "text/csv; charset=utf-8", "xml": "application/xml", "svg": "image/svg+xml",
        "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp",
        "avif": "image/avif", "ico": "image/vnd.microsoft.icon", "bmp": "image/bmp",
        "mp4": "video/mp4", "m4v": "video/mp4", "webm": "video/webm", "mov": "video/quicktime",
        "mp3": "audio/mpeg", "m4a": "audio/mp4", "ogg": "audio/ogg", "wav": "audio/wav", "flac": "audio/flac",
        "pdf": "application/pdf", "wasm": "application/wasm", "zip": "application/zip",
        "gz": "application/gzip", "tar": "application/x-tar", "car": "application/vnd.ipld.car",
        "woff": "font/woff", "woff2": "font/woff2", "ttf": "font/ttf", "otf": "font/otf",
        "glb": "model/gltf-binary", "gltf": "model/gltf+json", "jsonld": "application/ld+json",
    ]

    static func sniff(_ bytes: [UInt8]) -> String {
        func starts(_ pattern: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + pattern.count && Array(bytes[offset..<(offset + pattern.count)]) == pattern
        }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if starts([0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return "image/gif" }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return "image/webp" }
        if starts(Array("RIFF".utf8)) && starts(Array("WAVE".utf8), at: 8) { return "audio/wav" }
        if starts(Array("ftyp".utf8), at: 4) { return "video/mp4" }
        if starts([0x1A, 0x45, 0xDF, 0xA3]) { return "video/webm" }
        if starts(Array("ID3".utf8)) { return "audio/mpeg" }
        if starts(Array("OggS".utf8)) { return "audio/ogg" }
        if starts(Array("%PDF-".utf8)) { return "application/pdf" }
        if starts([0x50, 0x4B, 0x03, 0x04]) { return "application/zip" }
        if starts([0x1F, 0x8B, 0x08]) { return "application/gzip" }
        if starts([0x00, 0x61, 0x73, 0x6D]) { return "application/wasm" }
        guard isText(bytes) else { return "application/octet-stream" }
        let head = String(decoding: bytes.prefix(512), as: UTF8.self)
            .drop { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == "\u{FEFF}" }.lowercased()
        if head.hasPrefix("<!doctype html") || head.hasPrefix("<html") || head.hasPrefix("<head")
            || head.hasPrefix("<body")
        {
            return "text/html; charset=utf-8"
        }
        if head.hasPrefix("<svg") || (head.hasPrefix("<?xml") && head.contains("<svg")) { return "image/svg+xml" }
        if head.hasPrefix("<?xml") { return "application/xml" }
        return "text/plain; charset=utf-8"
    }

    /// UTF-8 with no control bytes other than whitespace (a cut multi-byte sequence at the end
    /// of the sample is allowed).
    static func isText(_ bytes: [UInt8]) -> Bool {
        if bytes.isEmpty { return true }
        if bytes.contains(where: { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D && $0 != 0x0C }) {
            return false
        }
        var sample = bytes[...]
        // Drop a possibly cut sequence at the end (up to three continuation bytes and a lead).
        var trailing = 0
        while trailing < 3, let last = sample.last, last & 0xC0 == 0x80 {
            sample = sample.dropLast()
            trailing += 1
        }
        if let last = sample.last, last >= 0xC0 { sample = sample.dropLast() }
        return String(validating: sample, as: UTF8.self) != nil
    }
}
