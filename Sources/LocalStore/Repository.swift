import Foundation
import LevelDBKit

/// A Cairn repository on disk: the LevelDB index, the value log, and a config file.
///
/// ```
/// <path>/config.json   format version and settings (storage limit)
/// <path>/index/        LevelDB: block index, pins, counters
/// <path>/blocks/       value-log segments NNNNNNNN.vlog
/// ```
/// One process at a time: LevelDB's lock file keeps a second one out with `.repositoryLocked`.
public final class Repository: Sendable {
    public struct Config: Codable, Sendable, Hashable {
        public var version: Int
        /// Most bytes the block store may hold on disk (after compression); nil for no limit.
        public var storageLimit: UInt64?
        /// Value-log segment size; smaller in tests.
        public var segmentSize: UInt64

        public init(version: Int = 1, storageLimit: UInt64? = nil, segmentSize: UInt64 = 1 << 30) {
            self.version = version
            self.storageLimit = storageLimit
            self.segmentSize = segmentSize
        }
    }

    public let path: String
    public let config: Config
    public let blocks: BlockStore
    public let pins: PinStore

    /// `CAIRN_REPO`, else `~/.cairn`.
    public static var defaultPath: String {
        if let path = ProcessInfo.processInfo.environment["CAIRN_REPO"], !path.isEmpty { return path }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cairn").path
    }

    /// Opens the repository at `path`.
    ///
    /// - Parameter create: make a new repository with `config` when there is none.
    /// - Throws: ``StoreError`` `.noRepository`, `.repositoryLocked`, `.corruptStore`, `.ioError`.
    public init(path: String, create: Bool = false, config newConfig: Config = Config()) throws(StoreError) {
        let manager = FileManager.default
        let configPath = path + "/config.json"
        if !manager.fileExists(atPath: configPath) {
            guard create else {
                throw StoreError(
                    .noRepository, "no Cairn repository at \(path) (run `cairn add` to create one, or set --repo)")
            }
            do {
                try manager.createDirectory(atPath: path + "/blocks", withIntermediateDirectories: true)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                try encoder.encode(newConfig).write(to: URL(fileURLWithPath: configPath), options: .atomic)
            } catch {
                throw StoreError(.ioError, "cannot create a repository at \(path): \(error.localizedDescription)")
            }
        }
        let config: Config
        do {
            config = try JSONDecoder().decode(Config.self, from: Data(contentsOf: URL(fileURLWithPath: configPath)))
        } catch {
            throw StoreError(.corruptStore, "\(configPath) is unreadable: \(error.localizedDescription)")
        }
        guard config.version == 1 else {
            throw StoreError(.corruptStore, "repository format \(config.version) is not one this cairn reads (1)")
        }
        let database: LevelDB
        do {
            database = try LevelDB(path: path + "/index")
        } catch  where error.code == .locked {
            throw StoreError(.repositoryLocked, "another cairn process is using the repository at \(path)")
        } catch {
            throw StoreError(.corruptStore, "cannot open the index at \(path)/index: \(error)")
        }
        self.path = path
        self.config = config
        self.blocks = try BlockStore(
            database: database,
            directory: path + "/blocks",
            storageLimit: config.storageLimit,
            maxSegmentSize: config.segmentSize
        )
        self.pins = PinStore(database: database, blocks: blocks)
    }
}
