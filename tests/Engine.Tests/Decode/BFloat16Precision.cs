namespace Cluster.Engine.Tests.Decode;

/// <summary>
/// How far a bfloat16 stage's outputs lie from a float32 computation over the same bfloat16
/// values, relative to the largest value, for the fused pass and for libtorch's operators. libtorch
/// rounds every operator's output to bfloat16; the fused pass computes in float32 and rounds only
/// what leaves it (hidden states, keys and values), so over a test it must be at least as close.
/// Single outputs can go either way: both read the same prefill, computed by libtorch.
/// </summary>
internal sealed class BFloat16Precision
{
    /// <summary>
    /// Largest relative error of one output: bfloat16 keeps 8 bits of mantissa (0.4 %), and the
    /// tests' sharp attention amplifies the roundings of a few layers to a few per cent, where a
    /// wrong position, head or slot changes outputs by their whole size.
    /// </summary>
    public const float Bound = 0.15f;

    private double _fused, _libtorch;
    private int _count;

    public void Record(float fusedError, float libtorchError)
    {
        _fused += fusedError;
        _libtorch += libtorchError;
        _count++;
    }

    public void AssertFusedAtLeastAsPrecise()
    {
        if (_count == 0) return;
        Assert.True(_fused <= _libtorch,
            $"mean relative error over {_count} outputs: fused pass {_fused / _count:F5}, libtorch's operators {_libtorch / _count:F5}");
    }
}
