package looma.testservers.esplugin;

import java.util.List;
import java.util.function.Supplier;

import org.elasticsearch.Build;
import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.cluster.ClusterState;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestResponse;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.xcontent.XContentBuilder;

/**
 * {@code GET /} and {@code HEAD /} (the client's info() and ping()), which the default
 * distribution serves from its rest-root module and the integ-test distribution lacks. Same
 * fields as Elasticsearch's answer.
 */
final class RootRestHandler extends BaseRestHandler {
    private final Supplier<ClusterService> clusterService;

    RootRestHandler(Supplier<ClusterService> clusterService) {
        this.clusterService = clusterService;
    }

    @Override
    public String getName() {
        return "looma_root_action";
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(RestRequest.Method.GET, "/"), new Route(RestRequest.Method.HEAD, "/"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        ClusterService cs = clusterService.get();
        ClusterState state = cs.state();
        Build build = Build.current();
        return channel -> {
            XContentBuilder b = channel.newBuilder();
            b.startObject()
                    .field("name", cs.getNodeName())
                    .field("cluster_name", state.getClusterName().value())
                    .field("cluster_uuid", state.metadata().clusterUUID())
                    .startObject("version")
                    .field("number", build.qualifiedVersion())
                    .field("build_flavor", build.flavor())
                    .field("build_type", build.type().displayName())
                    .field("build_hash", build.hash())
                    .field("build_date", build.date())
                    .field("build_snapshot", build.isSnapshot())
                    .field("lucene_version", org.apache.lucene.util.Version.LATEST.toString())
                    .field("minimum_wire_compatibility_version", build.minWireCompatVersion())
                    .field("minimum_index_compatibility_version", build.minIndexCompatVersion())
                    .endObject()
                    .field("tagline", "You Know, for Search")
                    .endObject();
            channel.sendResponse(new RestResponse(RestStatus.OK, b));
        };
    }
}
