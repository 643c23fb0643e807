namespace Cluster.Engine.Kernels;

/// <summary>
/// Raw operands of y = x·wᵀ: x (tokens, columns) and y (tokens, rows) in float32, w (rows, columns)
/// in float32 (<see cref="Weights"/>) or bfloat16 (<see cref="BFloat16Weights"/>, the other one
/// null), all contiguous.
/// </summary>
internal readonly unsafe struct MatMulArguments
{
    public float* Weights { get; init; }
    public ushort* BFloat16Weights { get; init; }
    public required float* Input { get; init; }
    public required float* Output { get; init; }
    public required int Rows { get; init; }
    public required int Columns { get; init; }
    public required int Tokens { get; init; }
}
