namespace Cluster.Engine.Tokenizers.SentencePiece;

/// <summary>Where SentencePiece's dummy-prefix space goes (HF Metaspace's <c>prepend_scheme</c>).</summary>
public enum SpacePrefix
{
    Never,

    /// <summary>Only before the very start of the input.</summary>
    First,

    /// <summary>At the start and after every special token (llama.cpp's <c>add_space_prefix</c>, HF's legacy Prepend normalizer).</summary>
    Always,
}
