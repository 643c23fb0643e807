namespace Cluster.Engine.Tokenizers.ByteLevel;

/// <summary>
/// GPT-2's <c>bytes_to_unicode</c>: every byte gets a printable character (printable Latin-1
/// maps to itself, the rest to U+0100 onwards), so byte strings can live in a text vocabulary.
/// </summary>
public static class ByteToUnicode
{
    private static readonly char[] ByteToChar = BuildTable();
    private static readonly Dictionary<char, byte> CharToByte =
        Enumerable.Range(0, 256).ToDictionary(b => ByteToChar[b], b => (byte)b);

    public static char Encode(byte b) => ByteToChar[b];

    public static bool TryDecode(char c, out byte b) => CharToByte.TryGetValue(c, out b);

    /// <summary>The vocabulary spelling of some bytes: one character per byte.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes) =>
        string.Create(bytes.Length, bytes.ToArray(), (chars, source) =>
        {
            for (int i = 0; i < source.Length; i++)
                chars[i] = ByteToChar[source[i]];
        });

    private static char[] BuildTable()
    {
        var table = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
        {
            bool printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            table[b] = printable ? (char)b : (char)next++;
        }
        return table;
    }
}
