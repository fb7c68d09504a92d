import SodiumKit
import Testing

/// Secrets sealed under a passphrase open with it, and with nothing else.
@Suite("Password box")
struct PasswordBoxTests {
    func seal(_ secret: [UInt8], _ passphrase: String) throws -> PasswordBox.Sealed {
        try PasswordBox.seal(
            secret, passphrase: passphrase, operations: PasswordBox.interactiveOperations,
            memory: PasswordBox.interactiveMemory)
    }

    @Test func opensWithThePassphraseOnly() throws {
        let secret = [UInt8](repeating: 7, count: 32)
        let sealed = try seal(secret, "correct horse")
        #expect(try PasswordBox.open(sealed, passphrase: "correct horse") == secret)
        #expect(!sealed.ciphertext.contains([UInt8](repeating: 7, count: 8)))
        #expect(throws: SodiumError.self) { try PasswordBox.open(sealed, passphrase: "correct horsf") }
        #expect(try seal(secret, "correct horse") != sealed)  // fresh salt and nonce each time
        #expect(try PasswordBox.open(try seal([], ""), passphrase: "") == [])
    }

    @Test func refusesAlteredBoxes() throws {
        let sealed = try seal([1, 2, 3], "pass phrase")
        for index in sealed.ciphertext.indices {
            var ciphertext = sealed.ciphertext
            ciphertext[index] ^= 1
            let altered = PasswordBox.Sealed(
                salt: sealed.salt, nonce: sealed.nonce, ciphertext: ciphertext, operations: sealed.operations,
                memory: sealed.memory)
            #expect(throws: SodiumError.self) { try PasswordBox.open(altered, passphrase: "pass phrase") }
        }
        let short = PasswordBox.Sealed(
            salt: [1], nonce: sealed.nonce, ciphertext: sealed.ciphertext, operations: 2, memory: 8192)
        #expect(throws: SodiumError.self) { try PasswordBox.open(short, passphrase: "pass phrase") }
        let greedy = PasswordBox.Sealed(
            salt: sealed.salt, nonce: sealed.nonce, ciphertext: sealed.ciphertext, operations: 1_000,
            memory: sealed.memory)
        #expect(throws: SodiumError.self) { try PasswordBox.open(greedy, passphrase: "pass phrase") }
    }
}
