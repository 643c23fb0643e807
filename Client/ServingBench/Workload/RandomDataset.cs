namespace Cluster.ServingBench.Workload;

/// <summary>
/// vLLM's "random" dataset without the server's tokenizer: input and output lengths drawn
/// uniformly from [len·(1−r), len·(1+r)], prompts of that many common English words drawn
/// with a seed. Common lowercase words with a leading space are one token in Llama, GPT-2 and
/// most BPE vocabularies, so the length is close to the token count; servers that report
/// <c>usage</c> give the exact prompt tokens, which the metrics use. Range ratio 0 is the
/// fixed-length dataset.
/// </summary>
public static class RandomDataset
{
    private static readonly string[] Words =
    [
        "the", "of", "and", "to", "in", "is", "was", "that", "for", "on", "with", "he", "it", "as", "at", "his", "by", "be", "from",
        "are", "this", "had", "not", "but", "what", "all", "were", "when", "we", "there", "can", "an", "your", "which", "their",
        "said", "if", "do", "will", "each", "about", "how", "up", "out", "them", "then", "she", "many", "some", "so", "these",
        "would", "other", "into", "has", "more", "her", "two", "like", "him", "see", "time", "could", "no", "make", "than",
        "first", "been", "its", "who", "now", "people", "my", "made", "over", "did", "down", "only", "way", "find", "use",
        "may", "water", "long", "little", "very", "after", "words", "called", "just", "where", "most", "know", "get", "through",
        "back", "much", "before", "go", "good", "new", "write", "our", "used", "me", "man", "too", "any", "day", "same", "right",
        "look", "think", "also", "around", "another", "came", "come", "work", "three", "word", "must", "because", "does", "part",
    ];

    public static IReadOnlyList<BenchPrompt> Generate(int count, int inputLength, int outputLength, double rangeRatio, int seed)
    {
        if (inputLength <= 0 || outputLength <= 0)
            throw new ArgumentOutOfRangeException(nameof(inputLength), "input and output lengths must be positive");
        if (rangeRatio is < 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(rangeRatio), rangeRatio, "the range ratio must be in [0, 1)");
        var random = new Random(seed);
        var prompts = new BenchPrompt[count];
        for (int i = 0; i < count; i++)
        {
            int input = Draw(random, inputLength, rangeRatio);
            int output = Draw(random, outputLength, rangeRatio);
            // A distinct leading number per request keeps servers' prefix caches from sharing whole prompts.
            var words = new List<string>(input) { i.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            while (words.Count < input)
                words.Add(Words[random.Next(Words.Length)]);
            prompts[i] = new BenchPrompt(string.Join(' ', words), input, output) { Seed = seed + i };
        }
        return prompts;
    }

    private static int Draw(Random random, int length, double ratio)
    {
        int low = Math.Max(1, (int)Math.Floor(length * (1 - ratio)));
        int high = Math.Max(low, (int)Math.Ceiling(length * (1 + ratio)));
        return random.Next(low, high + 1);
    }
}
