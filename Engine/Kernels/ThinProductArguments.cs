namespace Cluster.Engine.Kernels;

/// <summary>Raw operands of y = x·wᵀ: x (tokens, columns) float32, w (rows, columns), y (tokens, rows) float32.</summary>
internal readonly unsafe struct ThinProductArguments
{
    public required byte* Weights { get; init; }
    public required float* Input { get; init; }
    public required float* Output { get; init; }
    public required int Rows { get; init; }
    public required int Columns { get; init; }
    public required int Tokens { get; init; }
}
