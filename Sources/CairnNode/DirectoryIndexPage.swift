import UnixFS

/// The HTML page a gateway shows for a folder without `index.html`.
enum DirectoryIndexPage {
    /// Bumped when the page's markup changes, so cached listings (ETag `DirIndex-<version>_CID-…`)
    /// are not reused across versions.
    static let version = "1"

    static func render(contentPath: String, cid: String, entries: [DirectoryEntry], isRoot: Bool) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(contentPath))</title>
            <style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}\
            td{padding:.2em 1em .2em 0}td.size{text-align:right}.cid{font-family:monospace;color:#666}</style>
            </head>
            <body>
            <h1>Index of \(escape(contentPath))</h1>
            <p class="cid">\(escape(cid))</p>
            <table>

            """
        if !isRoot { html += "<tr><td><a href=\"..\">..</a></td><td></td><td></td></tr>\n" }
        for entry in entries {
            let href = "./" + percentEncode(entry.name)
            let size = entry.cumulativeSize.map(formatSize) ?? ""
            html += "<tr><td><a href=\"\(escape(href))\">\(escape(entry.name))</a></td>"
            html += "<td class=\"size\">\(size)</td>"
            html += "<td class=\"cid\"><a href=\"/ipfs/\(entry.cid)\">\(entry.cid)</a></td></tr>\n"
        }
        html += "</table>\n</body>\n</html>\n"
        return html
    }

    static func escape(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default: output.append(character)
            }
        }
        return output
    }

    /// Percent-encodes everything but unreserved characters (RFC 3986 §2.3).
    static func percentEncode(_ name: String) -> String {
        var output = ""
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                output += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return output
    }

    static func formatSize(_ bytes: UInt64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0
            ? "\(bytes) B" : String(Int(value * 10) / 10) + "." + String(Int(value * 10) % 10) + " " + units[unit]
    }
}
