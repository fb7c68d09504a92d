import CairnTestSupport
import Foundation
import LevelDBKit
import Testing

@Suite struct LevelDBTests {
    @Test func storesReadsAndDeletes() throws {
        let directory = try TemporaryDirectory()
        let database = try LevelDB(path: directory.path("db"))
        #expect(try database.get([1]) == nil)
        try database.put([1], [10, 11])
        try database.put([2], [])
        #expect(try database.get([1]) == [10, 11])
        #expect(try database.get([2]) == [], "an empty value is not an absent one")
        try database.delete([1])
        try database.delete([99])  // absent: not an error
        #expect(try database.get([1]) == nil)
    }

    @Test func appliesABatchAtomically() throws {
        let directory = try TemporaryDirectory()
        let database = try LevelDB(path: directory.path("db"))
        try database.put([0], [0])
        var batch = WriteBatch()
        for key in UInt8(1)...100 { batch.put([key], [key, key]) }
        batch.delete([0])
        try database.write(batch)
        #expect(try database.get([0]) == nil)
        #expect(try database.scan().count == 100)
        #expect(try database.get([50]) == [50, 50])
    }

    @Test func scansInKeyOrderWithinAPrefix() throws {
        let directory = try TemporaryDirectory()
        let database = try LevelDB(path: directory.path("db"))
        for key in [[2, 1], [1, 3], [1, 1], [1, 2], [0, 9], [1]] as [[UInt8]] { try database.put(key, key) }
        #expect(try database.scan(prefix: [1]).map(\.key) == [[1], [1, 1], [1, 2], [1, 3]])
        #expect(try database.scan(from: [1, 2], prefix: [1]).map(\.key) == [[1, 2], [1, 3]])
        #expect(try database.scan(prefix: [1], limit: 2).map(\.key) == [[1], [1, 1]])
        #expect(try database.scan().map(\.key).first == [0, 9])
    }

    @Test func keepsWritesAcrossReopening() throws {
        let directory = try TemporaryDirectory()
        var random = SeededGenerator(seed: 9)
        let value = random.bytes(count: 1 << 20)
        do {
            let database = try LevelDB(path: directory.path("db"))
            try database.put(Array("big".utf8), value)
        }
        let reopened = try LevelDB(path: directory.path("db"))
        #expect(try reopened.get(Array("big".utf8), verifyChecksums: true) == value)
        #expect(reopened.property("leveldb.stats") != nil)
        #expect(reopened.property("leveldb.no-such-property") == nil)
    }

    @Test func refusesASecondOpenOfTheSameDatabase() throws {
        let directory = try TemporaryDirectory()
        let database = try LevelDB(path: directory.path("db"))
        #expect(throws: LevelDBError.self) { try LevelDB(path: directory.path("db")) }
        let error = try #require(throws: LevelDBError.self) { try LevelDB(path: directory.path("db")) }
        #expect(error.code == .locked, "\(error)")
        _ = database
    }

    @Test func refusesToOpenAMissingDatabaseWithoutCreate() throws {
        let directory = try TemporaryDirectory()
        var options = LevelDB.Options()
        options.createIfMissing = false
        let error = try #require(throws: LevelDBError.self) {
            try LevelDB(path: directory.path("none"), options: options)
        }
        #expect(error.code == .invalidArgument)
    }

    @Test func reportsCorruptionOfATableFile() throws {
        let directory = try TemporaryDirectory()
        do {
            let database = try LevelDB(path: directory.path("db"))
            for key in UInt8(0)..<200 { try database.put([key], [UInt8](repeating: key, count: 1000)) }
            database.compact()
        }
        // Overwrite the middle of every table file: LevelDB's checksums must catch it.
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path("db")).filter {
            $0.hasSuffix(".ldb")
        }
        #expect(!files.isEmpty)
        for file in files {
            let path = directory.path("db/\(file)")
            var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            for index in stride(from: 100, to: bytes.count / 2, by: 1) { bytes[index] ^= 0xff }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
        let result = Result { () throws(LevelDBError) -> Void in
            let database = try LevelDB(path: directory.path("db"))
            for key in UInt8(0)..<200 { _ = try database.get([key], verifyChecksums: true) }
        }
        guard case .failure(let error) = result else {
            Issue.record("corrupt tables read without error")
            return
        }
        #expect(error.code == .corruption, "\(error)")
    }
}
