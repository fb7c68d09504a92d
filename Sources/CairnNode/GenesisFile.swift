import Foundation
public import Ledger

/// A chain's genesis written as JSON, for `cairn init --genesis FILE` (`Specs/ledger.md`,
/// "Genesis"):
///
/// ```json
/// {"chain": "cairn-testnet-1", "time": 1764028800000,
///  "minimumFee": 1, "unbondingBlocks": 100, "minimumNodeStake": 1000,
///  "balances": {"z6Mk…": 1000000}, "validators": ["z6Mk…"]}
/// ```
///
/// `chain`, `time` (milliseconds since the Unix epoch) and `balances` are required; the
/// parameters default to the values in the spec, and `validators` to the node being
/// initialized (whose address does not exist before `cairn init`). Amounts are JSON integers up to
/// 2^64 − 1 (decoded exactly, not through a double). Unknown keys are refused, so a misspelt
/// parameter cannot silently fall back to its default; every node given the same file starts
/// the same chain (same genesis CID).
public enum GenesisFile {
    private struct Contents: Decodable {
        var chain: String
        var time: Amount
        var minimumFee: Amount?
        var unbondingBlocks: Amount?
        var minimumNodeStake: Amount?
        var balances: [String: Amount]
        var validators: [String]?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case chain, time, minimumFee, unbondingBlocks, minimumNodeStake, balances, validators
        }
    }

    /// A JSON integer from 0 to 2^64 − 1. Foundation's decoder reports any other number as
    /// "not valid JSON"; this names the field instead.
    private struct Amount: Decodable {
        let value: UInt64

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            do { value = try container.decode(UInt64.self) } catch {
                throw FieldProblem(
                    path: decoder.codingPath.map(\.stringValue).joined(separator: "."),
                    problem: "is not a whole number from 0 to 18446744073709551615")
            }
        }
    }

    private struct FieldProblem: Error {
        let path: String
        let problem: String
    }

    /// Reads the genesis at `path`.
    ///
    /// - Throws: ``NodeError`` `.badConfiguration` naming the key or value that is wrong.
    public static func load(path: String, defaultValidator: Address) throws(NodeError) -> Genesis {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NodeError(.badConfiguration, "cannot read the genesis file \(path)")
        }
        return try parse(Array(data), source: path, defaultValidator: defaultValidator)
    }

    /// Parses genesis JSON; `source` names it in errors.
    public static func parse(_ bytes: [UInt8], source: String, defaultValidator: Address) throws(NodeError) -> Genesis {
        let contents: Contents
        do {
            guard let object = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
                throw NodeError(.badConfiguration, "\(source) is not a JSON object")
            }
            let known = Set(Contents.CodingKeys.allCases.map(\.rawValue))
            if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
                throw NodeError(.badConfiguration, "\(source): unknown genesis key \"\(unknown)\"")
            }
            contents = try JSONDecoder().decode(Contents.self, from: Data(bytes))
        } catch let error as NodeError {
            throw error
        } catch let problem as FieldProblem {
            throw NodeError(.badConfiguration, "\(source): \(problem.path) \(problem.problem)")
        } catch let DecodingError.keyNotFound(key, _) {
            throw NodeError(.badConfiguration, "\(source): the genesis needs \"\(key.stringValue)\"")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.dataCorrupted(context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw NodeError(.badConfiguration, "\(source): \(path.isEmpty ? "the file" : path) is not valid here")
        } catch {
            throw NodeError(.badConfiguration, "\(source) is not valid genesis JSON: \(error)")
        }
        let defaults = ChainParameters(chain: contents.chain)
        guard (1...64).contains(contents.chain.utf8.count),
            contents.chain.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") })
        else {
            throw NodeError(.badConfiguration, "\(source): chain is 1 to 64 ASCII letters, digits, '-' or '.'")
        }
        var balances: [Address: UInt64] = [:]
        for (text, amount) in contents.balances {
            guard let address = try? Address(text) else {
                throw NodeError(.badConfiguration, "\(source): balances key \"\(text.prefix(80))\" is not an address")
            }
            guard balances[address] == nil else {
                throw NodeError(.badConfiguration, "\(source): \(text) is funded twice")
            }
            balances[address] = amount.value
        }
        var validators: [Address] = []
        for text in contents.validators ?? [defaultValidator.description] {
            guard let address = try? Address(text) else {
                throw NodeError(.badConfiguration, "\(source): validator \"\(text.prefix(80))\" is not an address")
            }
            guard !validators.contains(address) else {
                throw NodeError(.badConfiguration, "\(source): validator \(text) is listed twice")
            }
            validators.append(address)
        }
        let genesis = Genesis(
            parameters: ChainParameters(
                chain: contents.chain, minimumFee: contents.minimumFee?.value ?? defaults.minimumFee,
                unbondingBlocks: contents.unbondingBlocks?.value ?? defaults.unbondingBlocks,
                minimumNodeStake: contents.minimumNodeStake?.value ?? defaults.minimumNodeStake),
            time: contents.time.value, balances: balances,
            validators: validators)
        do { _ = try genesis.state() } catch { throw NodeError(.badConfiguration, "\(source): \(error.message)") }
        return genesis
    }
}
