import ArgumentParser
import CairnClient
import Foundation
import Multiformats

/// `cairn pin remote`: pins on any IPFS Pinning Service API endpoint, a Cairn node's or
/// another provider's, as `ipfs pin remote` does.
struct RemotePinCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remote",
        abstract: "Pin on remote pinning services (IPFS Pinning Service API).",
        subcommands: [ServiceCommand.self, Add.self, List.self, Remove.self]
    )

    /// Which service: a name from `service add`, or an endpoint and token given directly.
    struct ServiceOptions: ParsableArguments {
        @Option(help: "A service name from `cairn pin remote service add`.")
        var service: String?

        @Option(help: "The service's endpoint URL (instead of --service).")
        var endpoint: String?

        @Option(help: "The access token for --endpoint (or $CAIRN_PINNING_TOKEN).")
        var token: String?

        @OptionGroup var repository: RepositoryOptions

        func client() throws -> NodeClient {
            if let endpoint {
                guard let token = token ?? ProcessInfo.processInfo.environment["CAIRN_PINNING_TOKEN"] else {
                    throw CommandFailure("--endpoint needs --token or $CAIRN_PINNING_TOKEN")
                }
                return NodeClient(baseURL: endpoint, token: token)
            }
            guard let service else { throw CommandFailure("name a service with --service, or give --endpoint") }
            guard let found = try PinningServiceRegistry(repository: repository.path).service(named: service) else {
                throw CommandFailure("no pinning service named \(service) (see `cairn pin remote service ls`)")
            }
            return NodeClient(baseURL: found.endpoint, token: found.token)
        }
    }

    struct ServiceCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "service", abstract: "Name pinning services.", subcommands: [Add.self, List.self, Remove.self])

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Save a service: name, endpoint, token.")
            @Argument var name: String
            @Argument var endpoint: String
            @Argument var token: String
            @OptionGroup var repository: RepositoryOptions

            func run() throws {
                try PinningServiceRegistry(repository: repository.path).add(
                    name: name, endpoint: endpoint, token: token)
                print("saved \(name) \(endpoint)")
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "ls", abstract: "List saved services.")
            @OptionGroup var repository: RepositoryOptions

            func run() throws {
                for service in try PinningServiceRegistry(repository: repository.path).list() {
                    print("\(service.name) \(service.endpoint)")
                }
            }
        }

        struct Remove: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "rm", abstract: "Forget a service.")
            @Argument var name: String
            @OptionGroup var repository: RepositoryOptions

            func run() throws {
                try PinningServiceRegistry(repository: repository.path).remove(name: name)
                print("removed \(name)")
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ask a service to pin a CID; waits until it is pinned or failed unless --background.")

        @Argument(help: "The CID to pin.")
        var cid: String

        @Option(help: "A name for the pin.")
        var name: String?

        @Flag(help: "Return once the request is queued.")
        var background = false

        @OptionGroup var service: ServiceOptions

        func run() async throws {
            _ = try CID(cid)
            let client = try service.client()
            var pin: [String: Any] = ["cid": cid]
            if let name { pin["name"] = name }
            var status =
                try await client.json("POST", "/pins", body: try JSONSerialization.data(withJSONObject: pin))
                as? [String: Any] ?? [:]
            let id = status["requestid"] as? String ?? ""
            while !background, let state = status["status"] as? String, state == "queued" || state == "pinning" {
                try await Task.sleep(for: .milliseconds(250))
                status = try await client.json("GET", "/pins/" + NodeClient.encode(id)) as? [String: Any] ?? [:]
            }
            let state = status["status"] as? String ?? "?"
            print("\(id) \(state) \(cid)")
            if state == "failed" {
                let details = (status["info"] as? [String: Any])?["status_details"] as? String ?? "no reason given"
                throw CommandFailure("the service could not pin \(cid): \(details)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List a service's pins.")

        @Option(help: "Only this name.") var name: String?
        @Option(help: "Only these CIDs (comma-separated).") var cid: String?
        @Option(help: "Statuses, comma-separated (default: pinned).") var status: String?
        @Option(help: "At most this many (1–1000).") var limit: Int = 1000
        @OptionGroup var service: ServiceOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            var query = ["limit": String(limit)]
            if let name { query["name"] = name }
            if let cid { query["cid"] = cid }
            if let status { query["status"] = status }
            let results = try await service.client().json("GET", "/pins", query: query) as? [String: Any] ?? [:]
            let rows = results["results"] as? [[String: Any]] ?? []
            if output.json {
                print(try JSONHelpers.string(jsonObject: rows))
                return
            }
            for row in rows {
                let pin = row["pin"] as? [String: Any] ?? [:]
                let name = (pin["name"] as? String).map { " \($0)" } ?? ""
                print(
                    "\(row["requestid"] as? String ?? "") \(row["status"] as? String ?? "") \(pin["cid"] as? String ?? "")\(name)"
                )
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove pin requests by id.")

        @Argument(help: "Request ids (from `cairn pin remote ls`).")
        var requests: [String]

        @OptionGroup var service: ServiceOptions

        func run() async throws {
            let client = try service.client()
            for id in requests {
                _ = try await client.json("DELETE", "/pins/" + NodeClient.encode(id))
                print("removed \(id)")
            }
        }
    }
}
