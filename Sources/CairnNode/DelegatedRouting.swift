import Hummingbird
import LocalStore
import Multiformats
import NIOCore

/// `GET /routing/v1/providers/{cid}` (IPFS Delegated Routing V1 HTTP API): this node, as a
/// `peer` record with its HTTP gateway address, when it holds the CID's block; 404 otherwise.
///
/// JSON by default; `Accept: application/x-ndjson` gets one record per line (the spec's
/// streaming form).
struct DelegatedRouting: Sendable {
    let repository: Repository
    let identity: NodeIdentity
    let addresses: NodeApplication.Addresses

    func register(on router: Router<some RequestContext>) {
        router.get("/routing/v1/providers/{cid}") { request, context in
            let cid = try NodeAPI.cid(try context.parameters.require("cid"))
            let repository = self.repository
            let has = try await blocking { try repository.blocks.has(cid) }
            var headers = HTTPFields()
            headers[.vary] = "Accept"
            headers[.cacheControl] = has ? "public, max-age=300" : "public, max-age=15"
            guard has else {
                var failure = HTTPFailure(.notFound, "this node does not provide \(cid)")
                failure.headers = headers
                throw failure
            }
            let record =
                #"{"Schema":"peer","ID":"# + JSONText.quote(identity.peerID) + #","Addrs":["#
                + addresses.multiaddrs.map(JSONText.quote).joined(separator: ",")
                + #"],"Protocols":["transport-ipfs-gateway-http"]}"#
            if request.headers[.accept]?.contains("application/x-ndjson") == true {
                headers[.contentType] = "application/x-ndjson"
                return Response(
                    status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: record + "\n")))
            }
            headers[.contentType] = "application/json"
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"Providers":["# + record + "]}")))
        }
    }
}
