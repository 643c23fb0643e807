using Cluster.Api.Tests.Support;

namespace Cluster.Api.Tests.Server;

public sealed class OneStageEmbeddingsTests(OneStageEmbeddingSiloServer server) : EmbeddingsTests<OneStageEmbeddingSiloServer>(server);
