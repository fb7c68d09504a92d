public import Foundation
import Ledger
import Multiformats
public import SodiumKit

/// Ledger keys at rest: `<repo>/keys/<name>.json` (mode 0600), each the Ed25519 seed sealed
/// under a passphrase with ``PasswordBox`` (Argon2id + XSalsa20-Poly1305).
///
/// File: `{"address": "z6Mk…", "kdf": "argon2id13", "memory": int, "name": string,
/// "nonce": hex, "operations": int, "salt": hex, "sealed": hex, "version": 1}` — the address is
/// in clear so keys can be listed without the passphrase; opening checks the seed matches it.
public struct KeyStore: Sendable {
    public struct KeyFile: Codable, Sendable, Hashable {
        public var version: Int
        public var name: String
        public var address: String
        public var kdf: String
        public var operations: UInt64
        public var memory: Int
        public var salt: String
        public var nonce: String
        public var sealed: String
    }

    public let directory: String
    /// Argon2id cost; tests lower it.
    let operations: UInt64
    let memory: Int

    public init(repository: String, fastForTests: Bool = false) {
        directory = repository + "/keys"
        operations = fastForTests ? PasswordBox.interactiveOperations : PasswordBox.moderateOperations
        memory = fastForTests ? PasswordBox.interactiveMemory : PasswordBox.moderateMemory
    }

    func path(_ name: String) -> String { directory + "/" + name + ".json" }

    static func validate(_ name: String) throws {
        guard !name.isEmpty, name.count <= 64,
            name.unicodeScalars.allSatisfy({
                $0.isASCII && ($0.properties.isAlphabetic || "0123456789-_.".unicodeScalars.contains($0))
            }),
            !name.hasPrefix(".")
        else { throw KeyStoreError("a key name is 1 to 64 of A–Z, a–z, 0–9, '-', '_', '.', not starting with '.'") }
    }

    /// Seals `key` under `passphrase` as `name`; refuses to overwrite.
    @discardableResult
    public func save(_ key: Ed25519.PrivateKey, name: String, passphrase: String) throws -> KeyFile {
        try Self.validate(name)
        guard !FileManager.default.fileExists(atPath: path(name)) else {
            throw KeyStoreError("a key named \(name) exists")
        }
        let sealed = try PasswordBox.seal(
            key.rawRepresentation, passphrase: passphrase, operations: operations, memory: memory)
        let file = KeyFile(
            version: 1, name: name, address: Address(publicKey: key.publicKey).description, kdf: "argon2id13",
            operations: sealed.operations, memory: sealed.memory, salt: Self.hex(sealed.salt),
            nonce: Self.hex(sealed.nonce),
            sealed: Self.hex(sealed.ciphertext))
        try write(file)
        return file
    }

    /// Stores an exported key file under `name` as it is (it stays sealed).
    public func importFile(_ data: Data, name: String) throws -> KeyFile {
        try Self.validate(name)
        guard !FileManager.default.fileExists(atPath: path(name)) else {
            throw KeyStoreError("a key named \(name) exists")
        }
        var file: KeyFile
        do { file = try JSONDecoder().decode(KeyFile.self, from: data) } catch {
            throw KeyStoreError("not a Cairn key file: \(error)")
        }
        guard file.version == 1, file.kdf == "argon2id13" else {
            throw KeyStoreError("an unknown key file version or kdf")
        }
        _ = try Address(file.address)
        file.name = name
        try write(file)
        return file
    }

    public func list() throws -> [KeyFile] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return try names.filter { $0.hasSuffix(".json") }.sorted().map { name in
            try JSONDecoder().decode(KeyFile.self, from: Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)))
        }
    }

    public func file(_ name: String) throws -> KeyFile {
        try Self.validate(name)
        guard let data = FileManager.default.contents(atPath: path(name)) else {
            throw KeyStoreError("no key named \(name)")
        }
        return try JSONDecoder().decode(KeyFile.self, from: data)
    }

    /// Opens the key `name` with `passphrase`.
    public func open(_ name: String, passphrase: String) throws -> Ed25519.PrivateKey {
        let file = try file(name)
        let sealed = PasswordBox.Sealed(
            salt: Self.bytes(file.salt), nonce: Self.bytes(file.nonce), ciphertext: Self.bytes(file.sealed),
            operations: file.operations, memory: file.memory)
        let key = try Ed25519.PrivateKey(rawRepresentation: try PasswordBox.open(sealed, passphrase: passphrase))
        guard Address(publicKey: key.publicKey).description == file.address else {
            throw KeyStoreError("key \(name) does not match its address; the file was altered")
        }
        return key
    }

    private func write(_ file: KeyFile) throws {
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard
            FileManager.default.createFile(
                atPath: path(file.name), contents: try encoder.encode(file), attributes: [.posixPermissions: 0o600])
        else { throw KeyStoreError("cannot write \(path(file.name))") }
    }

    static func hex(_ bytes: [UInt8]) -> String { Multibase.base16.encodeWithoutPrefix(bytes) }

    /// Bytes from a key file's hex; a damaged field decodes to nothing, which opening refuses.
    static func bytes(_ hex: String) -> [UInt8] { (try? Multibase.base16.decodeWithoutPrefix(hex.lowercased())) ?? [] }
}

public struct KeyStoreError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
