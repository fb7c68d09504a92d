import ArgumentParser
import LocalStore

/// `--repo`: which repository a command works on.
struct RepositoryOptions: ParsableArguments {
    @Option(name: .long, help: "The repository folder (default: $CAIRN_REPO, else ~/.cairn).")
    var repo: String?

    var path: String { repo ?? Repository.defaultPath }

    /// Opens the repository; `create` makes one with default settings when there is none.
    func open(create: Bool = false) throws -> Repository {
        try Repository(path: path, create: create)
    }
}

/// Options for commands that can print JSON for scripts.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print JSON for scripts.")
    var json = false
}
