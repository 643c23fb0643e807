using Cluster.Api.Tests.Support;

namespace Cluster.Api.Tests.Server;

public sealed class TwoStageEmbeddingsTests(TwoStageEmbeddingSiloServer server) : EmbeddingsTests<TwoStageEmbeddingSiloServer>(server);
