namespace Cluster.Engine.Kernels;

/// <summary>Raw float32 operands of y = x·wᵀ: x (tokens, columns), w (rows, columns), y (tokens, rows), all contiguous.</summary>
internal readonly unsafe struct MatMulArguments
{
    public required float* Weights { get; init; }
    public required float* Input { get; init; }
    public required float* Output { get; init; }
    public required int Rows { get; init; }
    public required int Columns { get; init; }
    public required int Tokens { get; init; }
}
