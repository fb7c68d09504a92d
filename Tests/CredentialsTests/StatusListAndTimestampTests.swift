import CairnTestSupport
import Credentials
import JCS
import Testing

/// Bitstring Status Lists against the vectors, and the dateTimeStamp reader.
@Suite("Status lists and timestamps")
struct StatusListAndTimestampTests {
    static func index(_ credential: JSONObject) throws -> Int {
        let status = try #require(credential["credentialStatus"]?.objectValue)
        let text = try #require(status["statusListIndex"]?.stringValue)
        return try #require(Int(text))
    }

    @Test func readsTheVectorsRevokedAndValidCredentials() throws {
        let listCredential = try Vector.object("bitstring-status-list/status-list-credential.json")
        let subject = try #require(listCredential["credentialSubject"]?.objectValue)
        let list = try BitstringStatusList(encodedList: try #require(subject["encodedList"]?.stringValue))
        #expect(list.count == BitstringStatusList.minimumEntries)
        let revoked = try Self.index(try Vector.object("bitstring-status-list/credential-revoked.json"))
        let valid = try Self.index(try Vector.object("bitstring-status-list/credential-valid.json"))
        #expect(try list.isSet(revoked))
        #expect(try !list.isSet(valid))
        // The status list credential itself is signed by its issuer.
        #expect((try? EddsaJcs2022.verify(listCredential, now: nil).get()) != nil)
        for name in ["credential-revoked.json", "credential-valid.json"] {
            #expect(
                (try? EddsaJcs2022.verify(try Vector.object("bitstring-status-list/" + name), now: nil).get()) != nil)
        }
    }

    @Test func refusesTheTooShortList() throws {
        let vector = try Vector.object("bitstring-status-list/status-list-too-short.json")
        #expect {
            try BitstringStatusList(encodedList: try #require(vector["encodedList"]?.stringValue))
        } throws: { error in
            (error as? CredentialError)?.code == .statusListLength
                && (error as? CredentialError)?.message.contains("STATUS_LIST_LENGTH_ERROR") == true
        }
    }

    @Test func setsBitsMostSignificantFirstAndRoundTrips() throws {
        var list = BitstringStatusList()
        try list.set(0, true)
        try list.set(9, true)
        try list.set(131_071, true)
        #expect(list.bytes[0] == 0x80 && list.bytes[1] == 0x40 && list.bytes.last == 0x01)
        #expect(list.encoded.hasPrefix("u"))
        let decoded = try BitstringStatusList(encodedList: list.encoded)
        #expect(decoded == list)
        try list.set(9, false)
        #expect(try !list.isSet(9))
        #expect(throws: CredentialError.self) { try list.isSet(131_072) }
        #expect(throws: CredentialError.self) { try list.isSet(-1) }
    }

    @Test(arguments: ["zH4sI", "uH4sI", "u!!!", "", "uAAAA"])
    func refusesListsThatAreNotGzipBase64url(text: String) {
        #expect(throws: CredentialError.self) { try BitstringStatusList(encodedList: text) }
    }

    @Test func readsDateTimeStamps() throws {
        #expect(try Timestamp("1970-01-01T00:00:00Z").seconds == 0)
        #expect(try Timestamp("2023-02-24T23:36:38Z").seconds == 1_677_281_798)
        #expect(try Timestamp("2024-02-29T01:00:00+01:00") == Timestamp("2024-02-29T00:00:00Z"))
        #expect(try Timestamp("2025-01-01T00:00:00.5Z").nanoseconds == 500_000_000)
        #expect(try Timestamp("2025-01-01T00:00:00.5Z") > Timestamp("2025-01-01T00:00:00Z"))
        #expect(try Timestamp("1969-12-31T23:59:59Z").seconds == -1)
        #expect(try Timestamp("2023-02-24T23:36:38Z").description == "2023-02-24T23:36:38Z")
        #expect(try Timestamp("2025-06-01T12:00:00.250-02:00").description == "2025-06-01T14:00:00.25Z")
        var generator = SeededGenerator(seed: 3339)
        for _ in 0..<500 {
            let time = Timestamp(seconds: Int64.random(in: -2_000_000_000...8_000_000_000, using: &generator))
            #expect(try Timestamp(time.description) == time)
        }
    }

    @Test(arguments: [
        "2023-02-24", "2023-02-24T23:36:38", "2023-02-30T00:00:00Z", "2023-13-01T00:00:00Z", "2023-02-24T24:00:00Z",
        "2023-02-24T23:60:00Z", "2023-02-24T23:36:60Z", "2023-2-24T23:36:38Z", "2023-02-24 23:36:38Z",
        "2023-02-24T23:36:38+15:00", "2023-02-24T23:36:38.Z", "2023-02-24T23:36:38Zjunk", "2023-02-29T00:00:00Z",
    ])
    func refusesWhatIsNotADateTimeStamp(text: String) {
        #expect(throws: CredentialError.self) { try Timestamp(text) }
    }
}
