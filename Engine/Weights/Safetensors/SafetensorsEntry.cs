using Cluster.Engine.Formats.Gguf;

namespace Cluster.Engine.Weights.Safetensors;

/// <summary>One tensor of a safetensors header; <see cref="Offset"/> is absolute in the file.</summary>
public sealed record SafetensorsEntry(string Name, string Dtype, GgmlType Type, long[] Shape, long Offset, long ByteCount);
